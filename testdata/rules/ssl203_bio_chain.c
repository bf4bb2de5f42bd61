/* SSL203: BIO chain members freed on their own. */
#include <openssl/bio.h>
#include <openssl/evp.h>

void member_freed_after_free_all(void)
{
    BIO *b64 = BIO_new(BIO_f_base64());
    BIO *mem = BIO_new(BIO_s_mem());
    if (b64 == NULL || mem == NULL) {
        BIO_free(b64);
        BIO_free(mem);
        return;
    }
    BIO_push(b64, mem);
    BIO_free_all(b64);
    BIO_free(mem); /* expect: SSL203 */
}

void member_freed_while_chained(void)
{
    BIO *b64 = BIO_new(BIO_f_base64());
    BIO *mem = BIO_new(BIO_s_mem());
    BIO *top;
    if (b64 == NULL || mem == NULL) {
        BIO_free(b64);
        BIO_free(mem);
        return;
    }
    top = BIO_push(b64, mem);
    BIO_free(mem); /* expect: SSL203 */
    BIO_free_all(top);
}

int chain_freed_twice_via_result(void)
{
    BIO *buf = BIO_new(BIO_f_buffer());
    BIO *mem = BIO_new(BIO_s_mem());
    BIO *top;
    if (buf == NULL || mem == NULL) {
        BIO_free(buf);
        BIO_free(mem);
        return 0;
    }
    top = BIO_push(buf, mem);
    BIO_puts(top, "hello");
    BIO_free_all(top);
    BIO_free_all(mem); /* expect: SSL203 */
    return 1;
}

/* Clean: one BIO_free_all for the whole chain. */
void chain_clean(void)
{
    BIO *b64 = BIO_new(BIO_f_base64());
    BIO *mem = BIO_new(BIO_s_mem());
    BIO *top;
    if (b64 == NULL || mem == NULL) {
        BIO_free(b64);
        BIO_free(mem);
        return;
    }
    top = BIO_push(b64, mem);
    BIO_write(top, "x", 1);
    BIO_free_all(top); /* ok: SSL203 */
}

/* Clean: BIO_pop hands the member back; then each is freed once. */
void pop_then_free_each(void)
{
    BIO *b64 = BIO_new(BIO_f_base64());
    BIO *mem = BIO_new(BIO_s_mem());
    if (b64 == NULL || mem == NULL) {
        BIO_free(b64);
        BIO_free(mem);
        return;
    }
    BIO_push(b64, mem);
    BIO_pop(b64);
    BIO_free(b64);
    BIO_free(mem); /* ok: SSL203 */
}

/* Clean: a BIO freed before it ever joined a chain. */
int free_before_push(int fail)
{
    BIO *b64 = BIO_new(BIO_f_base64());
    BIO *mem = BIO_new(BIO_s_mem());
    if (b64 == NULL || mem == NULL || fail) {
        BIO_free(b64);
        BIO_free(mem); /* ok: SSL203 */
        return 0;
    }
    BIO_free_all(BIO_push(b64, mem));
    return 1;
}

/* Clean: a member freed alone, then only the head with BIO_free (which leaves the
 * rest of the chain alone): nothing is freed twice. */
void member_then_head_alone(void)
{
    BIO *b64 = BIO_new(BIO_f_base64());
    BIO *mem = BIO_new(BIO_s_mem());
    if (b64 == NULL || mem == NULL) {
        BIO_free(b64);
        BIO_free(mem);
        return;
    }
    BIO_push(b64, mem);
    BIO_free(mem); /* ok: SSL203 */
    BIO_free(b64);
}
