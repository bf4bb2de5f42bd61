/* Control flow around OpenSSL handles: if/else, else-if chains, while, do-while,
 * for loops with and without their clauses, break/continue, switch (fall-through,
 * default, a switch-driven state machine), nested loops and early returns.
 * Every buggy function has a clean counterpart next to it. */
#include <openssl/ssl.h>
#include <openssl/bio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- if / else ------------------------------------------------------------ */

int leak_in_else_branch(SSL_CTX *ctx, int fd, int verbose)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        return -1;
    if (verbose) {
        fprintf(stderr, "probing fd %d\n", fd);
        SSL_free(s);
    } else {
        if (!SSL_set_fd(s, fd))
            fprintf(stderr, "SSL_set_fd failed\n");
        /* forgot SSL_free(s) on this branch */
    }
    return 0;
}

int leak_in_else_branch_clean(SSL_CTX *ctx, int fd, int verbose)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL)
        return -1;
    if (verbose) {
        fprintf(stderr, "probing fd %d\n", fd);
        SSL_free(s);
    } else {
        if (!SSL_set_fd(s, fd))
            fprintf(stderr, "SSL_set_fd failed\n");
        SSL_free(s);
    }
    return 0;
}

/* ---- else-if chains -------------------------------------------------------- */

int leak_in_else_if_chain(SSL_CTX *ctx, int mode)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        return -1;
    if (mode == 0) {
        SSL_set_connect_state(s);
        SSL_free(s);
    } else if (mode == 1) {
        SSL_set_accept_state(s);
        SSL_free(s);
    } else if (mode == 2) {
        SSL_free(s);
    } else {
        return -2; /* unknown mode: s is never released */
    }
    return 0;
}

int else_if_chain_clean(SSL_CTX *ctx, int mode)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    int rc = 0;
    if (s == NULL)
        return -1;
    if (mode == 0)
        SSL_set_connect_state(s);
    else if (mode == 1)
        SSL_set_accept_state(s);
    else if (mode == 2)
        rc = 1;
    else
        rc = -2;
    SSL_free(s); /* ok: SSL101 */
    return rc;
}

void double_free_after_else_if_chain(SSL_CTX *ctx, int mode)
{
    SSL *s = SSL_new(ctx);
    if (s == NULL)
        return;
    if (mode == 0) {
        SSL_free(s);
    } else if (mode == 1) {
        SSL_set_accept_state(s);
    } else {
        SSL_set_connect_state(s);
    }
    SSL_free(s); /* expect: SSL101 */
}

/* ---- while ------------------------------------------------------------------ */

int while_per_iteration_clean(SSL_CTX *ctx, const int *fds, int n)
{
    int i = 0;
    while (i < n) {
        SSL *s = SSL_new(ctx); /* ok: SSL103 */
        if (s == NULL)
            return -1;
        if (SSL_set_fd(s, fds[i]) && SSL_accept(s) == 1)
            SSL_shutdown(s);
        SSL_free(s);
        i++;
    }
    return 0;
}

int overwritten_each_iteration_leak(SSL_CTX *ctx, const int *fds, int n)
{
    SSL *s = NULL;
    int i = 0;
    while (i < n) {
        s = SSL_new(ctx); /* expect: SSL103 */
        if (s == NULL)
            return -1;
        if (!SSL_set_fd(s, fds[i]))
            break;
        i++;
    }
    SSL_free(s); /* only the last one is released */
    return 0;
}

int use_after_free_in_loop_condition(SSL *s)
{
    char buf[256];
    int n;
    while ((n = SSL_read(s, buf, sizeof(buf))) > 0) { /* expect: SSL102 */
        if (memchr(buf, 'Q', (size_t)n) != NULL)
            SSL_free(s); /* missing break: the next test reads from the freed SSL */
    }
    return n;
}

int use_after_free_in_loop_condition_clean(SSL *s)
{
    char buf[256];
    int n;
    while ((n = SSL_read(s, buf, sizeof(buf))) > 0) { /* ok: SSL102 */
        if (memchr(buf, 'Q', (size_t)n) != NULL) {
            SSL_free(s);
            return 0;
        }
    }
    return n;
}

int use_after_break_out_of_while(SSL *s)
{
    char buf[256];
    int n;
    while ((n = SSL_read(s, buf, sizeof(buf))) > 0) {
        if (memchr(buf, 'Q', (size_t)n) != NULL) {
            SSL_free(s);
            break;
        }
    }
    return SSL_get_shutdown(s); /* expect: SSL102 */
}

/* ---- do-while ---------------------------------------------------------------- */

int do_while_retry_clean(SSL_CTX *ctx, int fd)
{
    SSL *s;
    int tries = 0;
    do {
        s = SSL_new(ctx); /* ok: SSL103 */
        if (s == NULL)
            return -1;
        if (SSL_set_fd(s, fd) && SSL_connect(s) == 1)
            break;
        SSL_free(s);
        s = NULL;
    } while (++tries < 3);
    if (s == NULL)
        return -1;
    SSL_shutdown(s);
    SSL_free(s);
    return 0;
}

int do_while_retry_leak(SSL_CTX *ctx, int fd)
{
    SSL *s;
    int tries = 0, connected = 0;
    do {
        s = SSL_new(ctx); /* expect: SSL103 */
        if (s == NULL)
            return -1;
        if (SSL_set_fd(s, fd) && SSL_connect(s) == 1) {
            connected = 1;
            break;
        }
        /* retrying without SSL_free(s): the failed attempt is lost */
    } while (++tries < 3);
    if (connected)
        SSL_shutdown(s);
    SSL_free(s);
    return connected ? 0 : -1;
}

/* ---- for, with and without init / cond / inc ---------------------------------- */

int for_ever_clean(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL)
        return -1;
    if (!SSL_set_fd(s, fd)) {
        SSL_free(s);
        return -1;
    }
    for (;;) {
        int r = SSL_connect(s);
        if (r == 1)
            break;
        if (SSL_get_error(s, r) != SSL_ERROR_WANT_READ) {
            SSL_free(s);
            return -1;
        }
    }
    SSL_shutdown(s);
    SSL_free(s);
    return 0;
}

int for_ever_leak(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        return -1;
    if (!SSL_set_fd(s, fd)) {
        SSL_free(s);
        return -1;
    }
    for (;;) {
        int r = SSL_connect(s);
        if (r == 1)
            break;
        if (SSL_get_error(s, r) != SSL_ERROR_WANT_READ)
            return -1; /* the error exit forgets s */
    }
    SSL_shutdown(s);
    SSL_free(s);
    return 0;
}

void free_in_for_loop_double_free(SSL *s, int n)
{
    for (int i = 0; i < n; i++) {
        SSL_free(s); /* expect: SSL101 */
    }
}

void free_in_cond_only_for_double_free(BIO *b, int n)
{
    for (; n > 0;) {
        n--;
        BIO_free(b); /* expect: SSL101 */
    }
}

void free_in_for_loop_then_break_clean(SSL *s, int n)
{
    for (int i = 0; i < n; i++) {
        if (SSL_get_shutdown(s) & SSL_RECEIVED_SHUTDOWN) {
            SSL_free(s); /* ok: SSL101 */
            break;
        }
    }
}

int for_init_only_clean(SSL_CTX *ctx, int fd)
{
    int attempt;
    for (attempt = 0;; attempt++) {
        SSL *s = SSL_new(ctx); /* ok: SSL103 */
        int r;
        if (s == NULL)
            return -1;
        if (!SSL_set_fd(s, fd)) {
            SSL_free(s);
            return -1;
        }
        r = SSL_connect(s);
        if (r == 1)
            SSL_shutdown(s);
        SSL_free(s);
        if (r == 1 || attempt >= 4)
            return r == 1 ? 0 : -1;
    }
}

/* ---- break / continue ------------------------------------------------------------ */

int continue_skips_free_leak(SSL_CTX *ctx, const int *fds, int n)
{
    int served = 0;
    for (int i = 0; i < n; i++) {
        SSL *s = SSL_new(ctx); /* expect: SSL103 */
        if (s == NULL)
            continue;
        if (!SSL_set_fd(s, fds[i]))
            continue; /* s is dropped here */
        if (SSL_accept(s) == 1) {
            SSL_shutdown(s);
            served++;
        }
        SSL_free(s);
    }
    return served;
}

int continue_after_free_clean(SSL_CTX *ctx, const int *fds, int n)
{
    int served = 0;
    for (int i = 0; i < n; i++) {
        SSL *s = SSL_new(ctx); /* ok: SSL103 */
        if (s == NULL)
            continue;
        if (!SSL_set_fd(s, fds[i])) {
            SSL_free(s);
            continue;
        }
        if (SSL_accept(s) == 1) {
            SSL_shutdown(s);
            served++;
        }
        SSL_free(s); /* ok: SSL101 */
    }
    return served;
}

/* ---- switch: fall-through, default ----------------------------------------------- */

int leak_in_switch_default(SSL_CTX *ctx, int kind)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        return -1;
    switch (kind) {
    case 0:
        SSL_set_connect_state(s);
        break;
    case 1:
        SSL_set_accept_state(s);
        break;
    default:
        return -1; /* s leaks */
    }
    SSL_free(s);
    return 0;
}

int leak_in_switch_default_clean(SSL_CTX *ctx, int kind)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL)
        return -1;
    switch (kind) {
    case 0:
        SSL_set_connect_state(s);
        break;
    case 1:
        SSL_set_accept_state(s);
        break;
    default:
        SSL_free(s);
        return -1;
    }
    SSL_free(s);
    return 0;
}

int switch_without_default_leak(int kind)
{
    BIO *b = BIO_new(BIO_s_mem()); /* expect: SSL103 */
    if (b == NULL)
        return -1;
    switch (kind) {
    case 0:
        BIO_puts(b, "zero");
        BIO_free(b);
        break;
    case 1:
        BIO_puts(b, "one");
        BIO_free(b);
        break;
    }
    return 0; /* any other kind leaks b */
}

void switch_fallthrough_double_free(SSL *s, int how)
{
    switch (how) {
    case 2:
        SSL_shutdown(s);
        SSL_free(s);
        /* fall through */
    case 1:
        SSL_free(s); /* expect: SSL101 */
        break;
    default:
        break;
    }
}

void switch_fallthrough_clean(SSL *s, int how)
{
    switch (how) {
    case 2:
        SSL_shutdown(s);
        /* fall through */
    case 1:
        SSL_free(s); /* ok: SSL101 */
        break;
    default:
        break;
    }
}

/* ---- a switch-based state machine ------------------------------------------------- */

enum conn_state { ST_INIT, ST_HANDSHAKE, ST_DATA, ST_CLOSE, ST_DONE };

int state_machine_clean(SSL_CTX *ctx, int fd)
{
    enum conn_state st = ST_INIT;
    SSL *s = NULL;
    int rc = -1;

    while (st != ST_DONE) {
        switch (st) {
        case ST_INIT:
            s = SSL_new(ctx); /* ok: SSL103 */
            if (s == NULL || !SSL_set_fd(s, fd)) {
                st = ST_CLOSE;
                break;
            }
            st = ST_HANDSHAKE;
            break;
        case ST_HANDSHAKE:
            st = SSL_connect(s) == 1 ? ST_DATA : ST_CLOSE; /* ok: SSL401 */
            break;
        case ST_DATA:
            if (SSL_write(s, "ping\n", 5) == 5) /* ok: SSL401 */
                rc = 0;
            SSL_shutdown(s); /* ok: SSL401 */
            st = ST_CLOSE;
            break;
        case ST_CLOSE:
            SSL_free(s); /* ok: SSL101, SSL502 */
            s = NULL;
            st = ST_DONE;
            break;
        default:
            st = ST_DONE;
            break;
        }
    }
    return rc;
}

int state_machine_leak_on_retry(SSL_CTX *ctx, int fd)
{
    enum conn_state st = ST_INIT;
    SSL *s = NULL;
    int attempts = 0;

    while (st != ST_DONE) {
        switch (st) {
        case ST_INIT:
            s = SSL_new(ctx); /* expect: SSL103 */
            if (s == NULL)
                return -1;
            if (!SSL_set_fd(s, fd)) {
                st = ST_CLOSE;
                break;
            }
            st = ST_HANDSHAKE;
            break;
        case ST_HANDSHAKE:
            if (SSL_connect(s) == 1) {
                SSL_shutdown(s);
                st = ST_CLOSE;
            } else if (++attempts < 3)
                st = ST_INIT; /* starts over without releasing the failed SSL */
            else
                st = ST_CLOSE;
            break;
        case ST_CLOSE:
            SSL_free(s);
            st = ST_DONE;
            break;
        default:
            st = ST_DONE;
            break;
        }
    }
    return attempts < 3 ? 0 : -1;
}

/* ---- nested loops ------------------------------------------------------------------ */

int nested_loops_clean(SSL_CTX *ctx, const int *fds, int nfds, int rounds)
{
    int served = 0;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < nfds; i++) {
            SSL *s = SSL_new(ctx); /* ok: SSL103 */
            if (s == NULL)
                return -1;
            if (SSL_set_fd(s, fds[i]) && SSL_accept(s) == 1) {
                SSL_write(s, "hello\n", 6);
                SSL_shutdown(s);
                served++;
            }
            SSL_free(s); /* ok: SSL101 */
        }
    }
    return served;
}

int nested_loops_break_leak(SSL_CTX *ctx, const int *fds, int nfds, int rounds)
{
    int served = 0;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < nfds; i++) {
            SSL *s = SSL_new(ctx); /* expect: SSL103 */
            if (s == NULL)
                return -1;
            if (!SSL_set_fd(s, fds[i]))
                break; /* leaves the inner loop without releasing s */
            if (SSL_accept(s) == 1) {
                SSL_shutdown(s);
                served++;
            }
            SSL_free(s);
        }
    }
    return served;
}

/* ---- early returns ------------------------------------------------------------------ */

int early_returns_clean(SSL_CTX *ctx, int fd, const char *host)
{
    SSL *s = SSL_new(ctx); /* ok: SSL103 */
    if (s == NULL)
        return -1;
    if (host == NULL || host[0] == '\0') {
        SSL_free(s);
        return -1;
    }
    if (!SSL_set_fd(s, fd)) {
        SSL_free(s);
        return -1;
    }
    if (SSL_connect(s) != 1) {
        SSL_free(s);
        return -1;
    }
    SSL_shutdown(s);
    SSL_free(s);
    return 0;
}

int early_return_use_after_free(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx);
    int r;
    if (s == NULL)
        return -1;
    if (!SSL_set_fd(s, fd)) {
        SSL_free(s);
        return -1;
    }
    r = SSL_connect(s);
    if (r != 1) {
        SSL_free(s);
        return SSL_get_error(s, r); /* expect: SSL102 */
    }
    SSL_shutdown(s);
    SSL_free(s);
    return 0;
}

int early_return_error_first_clean(SSL_CTX *ctx, int fd)
{
    SSL *s = SSL_new(ctx);
    int r, err;
    if (s == NULL)
        return -1;
    if (!SSL_set_fd(s, fd)) {
        SSL_free(s);
        return -1;
    }
    r = SSL_connect(s);
    if (r != 1) {
        err = SSL_get_error(s, r); /* ok: SSL102 */
        SSL_free(s);
        return err;
    }
    SSL_shutdown(s);
    SSL_free(s);
    return 0;
}
