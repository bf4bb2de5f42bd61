"""Generates C files of realistic shape for the benchmark: OpenSSL clients and
servers with goto-err cleanups, loops, switches over SSL_get_error, handles kept
in structs, plus the plain helper code that makes up most of a real file.

Deterministic: the same seed and count give the same bytes.

    python bench/gen.py OUT_DIR [-n 40] [--seed 1]
"""
from __future__ import annotations

import argparse
import os
import random

COMMON = ["openssl/ssl.h", "openssl/err.h", "openssl/bio.h", "stdio.h", "stdlib.h",
          "string.h"]
EXTRA = ["openssl/x509.h", "openssl/evp.h", "errno.h", "unistd.h", "sys/socket.h",
         "stdint.h", "limits.h", "ctype.h"]

STRUCTS = """
struct conn {
    SSL *ssl;
    BIO *rbio;
    BIO *wbio;
    SSL_SESSION *session;
    int fd;
    int state;
    char peer[256];
    size_t sent, received;
};

struct conn_pool {
    struct conn *items[64];
    int count;
    SSL_CTX *ctx;
};
"""


class Writer:
    def __init__(self, rng: random.Random, tag: str):
        self.rng = rng
        self.tag = tag
        self.n = 0
        self.out: list[str] = []

    def name(self, stem: str) -> str:
        self.n += 1
        return f"{stem}_{self.tag}_{self.n}"

    def emit(self, text: str) -> None:
        self.out.append(text.strip("\n") + "\n\n")

    # ---- functions that use handles ---------------------------------------
    def connect(self) -> None:
        bug = self.rng.random() < 0.15
        steps = "\n".join(
            "    if (SSL_set_tlsext_host_name(ssl, host) != 1)\n        goto err;"
            if i == 0 else
            f"    if (SSL_get_verify_result(ssl) != X509_V_OK && strict > {i})\n        goto err;"
            for i in range(self.rng.randint(1, 4)))
        extra_free = "    SSL_free(ssl);\n" if bug else ""
        self.emit(f"""
int {self.name('connect')}(SSL_CTX *ctx, int fd, const char *host, int strict)
{{
    SSL *ssl = NULL;
    BIO *bio = NULL;
    int ret = -1;

    ssl = SSL_new(ctx);
    if (ssl == NULL)
        goto err;
    bio = BIO_new_socket(fd, BIO_NOCLOSE);
    if (bio == NULL)
        goto err;
    SSL_set_bio(ssl, bio, bio);
    bio = NULL;
{steps}
    if (SSL_connect(ssl) != 1) {{
        ERR_print_errors_fp(stderr);
        goto err;
    }}
    ret = SSL_write(ssl, "PING\\r\\n", 6) > 0 ? 0 : -1;
    SSL_shutdown(ssl);
{extra_free}err:
    BIO_free(bio);
    SSL_free(ssl);
    return ret;
}}""")

    def session_loop(self) -> None:
        leak = self.rng.random() < 0.15
        release = "" if leak else "        SSL_SESSION_free(sess);\n"
        self.emit(f"""
int {self.name('resume')}(SSL_CTX *ctx, int *fds, int n)
{{
    SSL_SESSION *sess = NULL;
    int ok = 0;

    for (int i = 0; i < n; i++) {{
        SSL *s = SSL_new(ctx);
        if (s == NULL)
            break;
        if (sess != NULL && !SSL_set_session(s, sess)) {{
            SSL_free(s);
            continue;
        }}
        SSL_set_fd(s, fds[i]);
        if (SSL_connect(s) == 1) {{
            ok++;
            SSL_SESSION_free(sess);
            sess = SSL_get1_session(s);
        }}
        SSL_shutdown(s);
        SSL_free(s);
    }}
    if (sess != NULL)
{release}    return ok;
}}""")

    def io_switch(self) -> None:
        cases = self.rng.sample(["SSL_ERROR_WANT_READ", "SSL_ERROR_WANT_WRITE",
                                 "SSL_ERROR_ZERO_RETURN", "SSL_ERROR_SYSCALL",
                                 "SSL_ERROR_SSL", "SSL_ERROR_WANT_X509_LOOKUP"],
                                self.rng.randint(3, 6))
        body = "".join(f"        case {c}:\n            {a}\n"
                       for c, a in zip(cases, ["continue;", "want++;\n            continue;",
                                               "done = 1;\n            break;",
                                               ("err = errno;\n            done = 1;\n"
                                                "            break;"),
                                               ("ERR_print_errors_fp(stderr);\n"
                                                "            done = 1;\n            break;"),
                                               "break;"], strict=False))
        self.emit(f"""
long {self.name('pump')}(SSL *ssl, char *buf, int len, int max_rounds)
{{
    long total = 0;
    int done = 0, want = 0, err = 0;

    for (int round = 0; !done && round < max_rounds; round++) {{
        int r = SSL_read(ssl, buf, len);
        if (r > 0) {{
            total += r;
            continue;
        }}
        switch (SSL_get_error(ssl, r)) {{
{body}        default:
            done = 1;
            break;
        }}
    }}
    return err ? -err : total + want;
}}""")

    def struct_lifecycle(self) -> None:
        double = self.rng.random() < 0.1
        again = "    SSL_free(c->ssl);\n" if double else ""
        self.emit(f"""
struct conn *{self.name('conn_new')}(SSL_CTX *ctx, int fd)
{{
    struct conn *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->ssl = SSL_new(ctx);
    if (c->ssl == NULL) {{
        free(c);
        return NULL;
    }}
    c->rbio = BIO_new(BIO_s_mem());
    c->wbio = BIO_new(BIO_s_mem());
    if (c->rbio == NULL || c->wbio == NULL) {{
        BIO_free(c->rbio);
        BIO_free(c->wbio);
        SSL_free(c->ssl);
        free(c);
        return NULL;
    }}
    SSL_set_bio(c->ssl, c->rbio, c->wbio);
    c->fd = fd;
    return c;
}}

void {self.name('conn_free')}(struct conn *c)
{{
    if (c == NULL)
        return;
    SSL_SESSION_free(c->session);
    SSL_free(c->ssl);
{again}    free(c);
}}""")

    def server_accept(self) -> None:
        self.emit(f"""
int {self.name('serve')}(SSL_CTX *ctx, int listen_fd, int (*accept_fd)(int))
{{
    int served = 0;

    while (served < 1000) {{
        int fd = accept_fd(listen_fd);
        if (fd < 0) {{
            if (errno == EINTR)
                continue;
            break;
        }}
        SSL *ssl = SSL_new(ctx);
        if (!ssl) {{
            close(fd);
            continue;
        }}
        SSL_set_fd(ssl, fd);
        if (SSL_accept(ssl) <= 0) {{
            ERR_print_errors_fp(stderr);
            SSL_free(ssl);
            close(fd);
            continue;
        }}
        X509 *peer = SSL_get1_peer_certificate(ssl);
        if (peer != NULL)
            X509_free(peer);
        SSL_shutdown(ssl);
        SSL_free(ssl);
        close(fd);
        served++;
    }}
    return served;
}}""")

    # ---- plain code: most of a real file -------------------------------------
    def helper(self) -> None:
        kind = self.rng.randrange(3)
        name = self.name("helper")
        if kind == 0:
            n = self.rng.randint(4, 20)
            checks = "\n".join(f"    if (s[{i}] == '{chr(97 + i % 26)}')\n        h = h * 31 + {i};"
                               for i in range(n))
            self.emit(f"""
static unsigned {name}(const char *s, size_t len)
{{
    unsigned h = 5381;
    if (len < {n})
        return 0;
{checks}
    for (size_t i = 0; i < len; i++)
        h = ((h << 5) + h) ^ (unsigned char)s[i];
    return h;
}}""")
        elif kind == 1:
            n = self.rng.randint(5, 30)
            cases = "\n".join(f"    case {i}:\n        return \"state-{i}\";" for i in range(n))
            self.emit(f"""
static const char *{name}(int state)
{{
    switch (state) {{
{cases}
    default:
        return "unknown";
    }}
}}""")
        else:
            self.emit(f"""
static int {name}(char *dst, size_t cap, const char *a, const char *b)
{{
    size_t la = strlen(a), lb = strlen(b);
    if (la + lb + 2 > cap)
        return -1;
    memcpy(dst, a, la);
    dst[la] = ':';
    memcpy(dst + la + 1, b, lb);
    dst[la + lb + 1] = '\\0';
    for (size_t i = 0; i < la + lb + 1; i++) {{
        if (dst[i] >= 'A' && dst[i] <= 'Z')
            dst[i] = (char)(dst[i] - 'A' + 'a');
        else if (dst[i] == ' ')
            dst[i] = '_';
    }}
    return (int)(la + lb + 1);
}}""")


def generate(index: int, seed: int) -> str:
    rng = random.Random(seed * 100_003 + index)
    w = Writer(rng, f"f{index}")
    includes = list(COMMON)
    # Most files share the common block; some add headers after it, a few reorder.
    if rng.random() < 0.6:
        includes += rng.sample(EXTRA, rng.randint(1, 3))
    if rng.random() < 0.1:
        rng.shuffle(includes)
    target = rng.randint(200, 1500)
    makers = [w.connect, w.session_loop, w.io_switch, w.struct_lifecycle, w.server_accept]
    head = (f"/* Generated by bench/gen.py (seed {seed}, file {index}). */\n"
            + "".join(f"#include <{h}>\n" for h in includes) + STRUCTS + "\n")
    while sum(t.count("\n") for t in w.out) + head.count("\n") < target:
        if rng.random() < 0.35:
            rng.choice(makers)()
        else:
            w.helper()
    return head + "".join(w.out)


def write_corpus(out_dir: str, count: int, seed: int) -> list[str]:
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for i in range(count):
        path = os.path.join(out_dir, f"gen_{i:03d}.c")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(generate(i, seed))
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("-n", "--count", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ns = ap.parse_args()
    for path in write_corpus(ns.out_dir, ns.count, ns.seed):
        print(path)


if __name__ == "__main__":
    main()
