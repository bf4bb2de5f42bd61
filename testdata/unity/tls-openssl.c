static void leak_in_included(SSL_CTX *ctx)
{
    SSL *s = SSL_new(ctx); /* expect: SSL103 */
    if (s == NULL)
        return;
    SSL_connect(s);
}
