/* Functions whose states once outgrew the per-point cap (128), so that the findings
 * about their handles were withheld. The states differed only in what dead locals
 * still held (the last turn's borrowed certificate, its name, NULL or not) and in
 * the ids of certificates a context already owned: facts no later statement reads. */
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/pem.h>
#include <stdlib.h>

struct entry { X509_NAME *name; struct entry *next; };
struct entry *first(struct entry **tree, unsigned long key);
struct entry *after(struct entry *e);
void insert(struct entry **tree, struct entry *e);
void unlink_entry(struct entry *e);

/* haproxy's ssl_get_client_ca_file, reduced: pop_free already frees the stack. */
STACK_OF(X509_NAME) *client_ca_names(STACK_OF(X509_OBJECT) *objs)
{
    STACK_OF(X509_NAME) *skn = sk_X509_NAME_new_null();
    struct entry *tree = NULL, *node, *e, *back;
    X509 *x;
    const X509_NAME *xn;
    X509_NAME *xn_dup;
    unsigned long key;
    int i;

    for (i = 0; i < sk_X509_OBJECT_num(objs); i++) {
        x = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objs, i));
        if (!x)
            continue;
        xn = X509_get_subject_name(x);
        if (!xn)
            continue;
        key = X509_NAME_hash_ex(xn, NULL, NULL, NULL);
        for (node = first(&tree, key), e = NULL; node && e == NULL; node = after(node)) {
            e = node;
            if (X509_NAME_cmp(xn, e->name) != 0)
                e = NULL;
        }
        if (e)
            continue;
        e = calloc(1, sizeof(*e));
        xn_dup = X509_NAME_dup(xn);
        if (!e || !xn_dup || !sk_X509_NAME_push(skn, xn_dup)) {
            free(e);
            X509_NAME_free(xn_dup);
            sk_X509_NAME_pop_free(skn, X509_NAME_free);
            sk_X509_NAME_free(skn);   /* expect: SSL101 */
            skn = NULL;
            break;
        }
        e->name = xn_dup;
        insert(&tree, e);
    }
    node = first(&tree, 0);
    while (node) {
        e = node;
        back = after(node);
        unlink_entry(node);
        free(e);
        node = back;
    }
    return skn;
}

/* A context takes each certificate of a loop (curl's use_certificate_chain_blob):
 * the ones it owns and nothing names are alike; the leak after the loop is found. */
int add_chain(SSL_CTX *ctx, BIO *in, int strict)
{
    X509 *ca;
    BIO *log = BIO_new(BIO_s_mem());   /* expect: SSL103 */
    int ok = 1;

    if (log == NULL)
        return 0;
    while ((ca = PEM_read_bio_X509(in, NULL, NULL, NULL)) != NULL) {
        if (!SSL_CTX_add0_chain_cert(ctx, ca)) {
            X509_free(ca);
            ok = 0;
            break;
        }
    }
    if (strict && !ok)
        return 0;
    BIO_free(log);
    return ok;
}
