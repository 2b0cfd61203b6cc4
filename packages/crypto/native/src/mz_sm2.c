/*
 * mz_sm2 — SM2 signatures (GB/T 32918, SM3, distinguishing ID) over the OpenSSL
 * that the running Node binary ships. No OpenSSL is linked: on Linux the node
 * executable exports its libcrypto symbols and the loader resolves them at
 * dlopen time. Only non-deprecated OpenSSL 3.0 APIs are used.
 *
 * JS surface (all byte arguments are Uint8Array; lengths are checked in TS too):
 *   verify(pub65, message, sig64, id) -> boolean   (never throws on crypto failure)
 *   sign(priv32, message, id[, pub65]) -> Uint8Array(64)  raw r||s (pub65 must match priv32)
 *   publicKey(priv32)                 -> Uint8Array(65)  04||x||y
 *   opensslVersion                    -> string
 *
 * Imported public keys are cached per Node environment (worker-safe through
 * napi_set_instance_data), so repeated verification under the same key skips
 * the EVP_PKEY import. Private keys are never cached.
 */
#include <node_api.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PUB_LEN 65
#define PRIV_LEN 32
#define SIG_LEN 64
#define DER_MAX 80
#define CACHE_SIZE 64

typedef struct {
  unsigned char pub[PUB_LEN];
  EVP_PKEY *pkey;
} cache_entry;

typedef struct {
  EVP_MD *sm3;
  EC_GROUP *group;
  cache_entry cache[CACHE_SIZE];
  size_t next;
} addon_state;

/* ---------- OpenSSL helpers (return 1 on success, 0 on failure) ---------- */

static EVP_PKEY *import_public_key(const unsigned char *pub) {
  EVP_PKEY *pkey = NULL;
  EVP_PKEY_CTX *kctx = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
  OSSL_PARAM params[3];
  params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"SM2", 0);
  params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)pub, PUB_LEN);
  params[2] = OSSL_PARAM_construct_end();
  if (kctx == NULL || EVP_PKEY_fromdata_init(kctx) <= 0 ||
      EVP_PKEY_fromdata(kctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
    EVP_PKEY_free(pkey);
    pkey = NULL;
  }
  EVP_PKEY_CTX_free(kctx);
  return pkey;
}

/* Borrowed reference: the cache owns the key. */
static EVP_PKEY *cached_public_key(addon_state *st, const unsigned char *pub) {
  for (size_t i = 0; i < CACHE_SIZE; i++) {
    if (st->cache[i].pkey != NULL && memcmp(st->cache[i].pub, pub, PUB_LEN) == 0) {
      return st->cache[i].pkey;
    }
  }
  EVP_PKEY *pkey = import_public_key(pub);
  if (pkey == NULL) return NULL;
  cache_entry *slot = &st->cache[st->next];
  st->next = (st->next + 1) % CACHE_SIZE;
  EVP_PKEY_free(slot->pkey);
  memcpy(slot->pub, pub, PUB_LEN);
  slot->pkey = pkey;
  return pkey;
}

static int raw_to_der(const unsigned char *sig, unsigned char *der, size_t *der_len) {
  int ok = 0;
  ECDSA_SIG *es = ECDSA_SIG_new();
  BIGNUM *r = BN_bin2bn(sig, 32, NULL);
  BIGNUM *s = BN_bin2bn(sig + 32, 32, NULL);
  if (es != NULL && r != NULL && s != NULL && ECDSA_SIG_set0(es, r, s) == 1) {
    r = s = NULL; /* owned by es now */
    unsigned char *p = der;
    int n = i2d_ECDSA_SIG(es, NULL);
    if (n > 0 && n <= DER_MAX && i2d_ECDSA_SIG(es, &p) == n) {
      *der_len = (size_t)n;
      ok = 1;
    }
  }
  BN_free(r);
  BN_free(s);
  ECDSA_SIG_free(es);
  return ok;
}

static int der_to_raw(const unsigned char *der, size_t der_len, unsigned char *out) {
  int ok = 0;
  const unsigned char *p = der;
  ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
  if (es != NULL) {
    const BIGNUM *r = NULL, *s = NULL;
    ECDSA_SIG_get0(es, &r, &s);
    ok = BN_bn2binpad(r, out, 32) == 32 && BN_bn2binpad(s, out + 32, 32) == 32;
  }
  ECDSA_SIG_free(es);
  return ok;
}

static int do_verify(addon_state *st, const unsigned char *pub, const unsigned char *msg,
                     size_t msg_len, const unsigned char *sig, const unsigned char *id,
                     size_t id_len) {
  int ok = 0;
  unsigned char der[DER_MAX];
  size_t der_len = 0;
  EVP_MD_CTX *mctx = NULL;
  EVP_PKEY_CTX *pctx = NULL; /* owned by mctx */
  /* Only the uncompressed form: OpenSSL would also take the hybrid 0x06/0x07 form. */
  EVP_PKEY *pkey = pub[0] == 0x04 ? cached_public_key(st, pub) : NULL;
  if (pkey == NULL || !raw_to_der(sig, der, &der_len)) goto done;
  mctx = EVP_MD_CTX_new();
  if (mctx == NULL || EVP_DigestVerifyInit(mctx, &pctx, st->sm3, NULL, pkey) != 1) goto done;
  if (EVP_PKEY_CTX_set1_id(pctx, id, (int)id_len) <= 0) goto done;
  ok = EVP_DigestVerify(mctx, der, der_len, msg, msg_len) == 1;
done:
  EVP_MD_CTX_free(mctx);
  ERR_clear_error();
  return ok;
}

static int derive_public(addon_state *st, const BIGNUM *d, unsigned char *pub) {
  int ok = 0;
  EC_POINT *point = EC_POINT_new(st->group);
  if (point != NULL && EC_POINT_mul(st->group, point, d, NULL, NULL, NULL) == 1 &&
      EC_POINT_point2oct(st->group, point, POINT_CONVERSION_UNCOMPRESSED, pub, PUB_LEN, NULL) ==
          PUB_LEN) {
    ok = 1;
  }
  EC_POINT_free(point);
  return ok;
}

/* d must lie in [1, n-2] so that 1 + d is invertible mod n. */
static BIGNUM *load_private(addon_state *st, const unsigned char *priv) {
  BIGNUM *d = BN_secure_new();
  BIGNUM *limit = BN_new();
  const BIGNUM *order = EC_GROUP_get0_order(st->group);
  int ok = d != NULL && limit != NULL && order != NULL && BN_bin2bn(priv, PRIV_LEN, d) != NULL &&
           BN_copy(limit, order) != NULL && BN_sub_word(limit, 1) == 1 && !BN_is_zero(d) &&
           BN_cmp(d, limit) < 0;
  BN_free(limit);
  if (!ok) {
    BN_clear_free(d);
    return NULL;
  }
  return d;
}

static int do_public_key(addon_state *st, const unsigned char *priv, unsigned char *pub) {
  BIGNUM *d = load_private(st, priv);
  int ok = d != NULL && derive_public(st, d, pub);
  BN_clear_free(d);
  ERR_clear_error();
  return ok;
}

/* known_pub (may be NULL) must be the public key of priv; it saves one scalar multiplication. */
static int do_sign(addon_state *st, const unsigned char *priv, const unsigned char *known_pub,
                   const unsigned char *msg, size_t msg_len, const unsigned char *id, size_t id_len,
                   unsigned char *out) {
  int ok = 0;
  unsigned char pub[PUB_LEN];
  unsigned char der[DER_MAX];
  size_t der_len = sizeof der;
  OSSL_PARAM_BLD *bld = NULL;
  OSSL_PARAM *params = NULL;
  EVP_PKEY_CTX *kctx = NULL;
  EVP_PKEY *pkey = NULL;
  EVP_MD_CTX *mctx = NULL;
  EVP_PKEY_CTX *pctx = NULL; /* owned by mctx */
  BIGNUM *d = load_private(st, priv);
  if (d == NULL) goto done;
  if (known_pub != NULL) {
    memcpy(pub, known_pub, PUB_LEN);
  } else if (!derive_public(st, d, pub)) {
    goto done;
  }

  bld = OSSL_PARAM_BLD_new();
  if (bld == NULL ||
      OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, PUB_LEN) != 1)
    goto done;
  params = OSSL_PARAM_BLD_to_param(bld);
  kctx = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
  if (params == NULL || kctx == NULL || EVP_PKEY_fromdata_init(kctx) <= 0 ||
      EVP_PKEY_fromdata(kctx, &pkey, EVP_PKEY_KEYPAIR, params) <= 0)
    goto done;

  mctx = EVP_MD_CTX_new();
  if (mctx == NULL || EVP_DigestSignInit(mctx, &pctx, st->sm3, NULL, pkey) != 1) goto done;
  if (EVP_PKEY_CTX_set1_id(pctx, id, (int)id_len) <= 0) goto done;
  if (EVP_DigestSign(mctx, der, &der_len, msg, msg_len) != 1) goto done;
  ok = der_to_raw(der, der_len, out);
done:
  EVP_MD_CTX_free(mctx);
  EVP_PKEY_free(pkey);
  EVP_PKEY_CTX_free(kctx);
  OSSL_PARAM_free(params); /* 3.0: the secure block holding d is clear-freed */
  OSSL_PARAM_BLD_free(bld);
  BN_clear_free(d);
  OPENSSL_cleanse(pub, sizeof pub);
  ERR_clear_error();
  return ok;
}

/* ---------- N-API glue ---------- */

#define NAPI_TRY(env, call)                                                  \
  do {                                                                       \
    if ((call) != napi_ok) {                                                 \
      napi_throw_error((env), "MZ_SM2.NAPI", "N-API call failed: " #call);   \
      return NULL;                                                           \
    }                                                                        \
  } while (0)

typedef struct {
  const unsigned char *data;
  size_t len;
} bytes;

/* Reads a Uint8Array (or Buffer). expected == 0 means any length. */
static int get_bytes(napi_env env, napi_value value, size_t expected, const char *name, bytes *out) {
  bool is_typed = false;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, value, &type, &length, &data, NULL, NULL) != napi_ok ||
      type != napi_uint8_array) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be a Uint8Array", name);
    napi_throw_type_error(env, "MZ_SM2.ARGUMENT", msg);
    return 0;
  }
  if (expected != 0 && length != expected) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be %zu bytes", name, expected);
    napi_throw_type_error(env, "MZ_SM2.ARGUMENT", msg);
    return 0;
  }
  static const unsigned char empty[1] = {0};
  out->data = data != NULL ? (const unsigned char *)data : empty;
  out->len = length;
  return 1;
}

static napi_value make_bytes(napi_env env, const unsigned char *src, size_t len) {
  napi_value buffer, array;
  void *data = NULL;
  NAPI_TRY(env, napi_create_arraybuffer(env, len, &data, &buffer));
  memcpy(data, src, len);
  NAPI_TRY(env, napi_create_typedarray(env, napi_uint8_array, len, buffer, 0, &array));
  return array;
}

static addon_state *get_state(napi_env env) {
  addon_state *st = NULL;
  napi_get_instance_data(env, (void **)&st);
  return st;
}

static napi_value js_verify(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  bytes pub, msg, sig, id;
  NAPI_TRY(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 4) {
    napi_throw_type_error(env, "MZ_SM2.ARGUMENT", "verify(publicKey, message, signature, id)");
    return NULL;
  }
  if (!get_bytes(env, argv[0], PUB_LEN, "publicKey", &pub) ||
      !get_bytes(env, argv[1], 0, "message", &msg) ||
      !get_bytes(env, argv[2], SIG_LEN, "signature", &sig) ||
      !get_bytes(env, argv[3], 0, "id", &id))
    return NULL;
  int ok = do_verify(get_state(env), pub.data, msg.data, msg.len, sig.data, id.data, id.len);
  napi_value result;
  NAPI_TRY(env, napi_get_boolean(env, ok != 0, &result));
  return result;
}

static napi_value js_sign(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  bytes priv, msg, id, pub = {NULL, 0};
  napi_valuetype fourth = napi_undefined;
  unsigned char out[SIG_LEN];
  NAPI_TRY(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) {
    napi_throw_type_error(env, "MZ_SM2.ARGUMENT", "sign(privateKey, message, id[, publicKey])");
    return NULL;
  }
  if (!get_bytes(env, argv[0], PRIV_LEN, "privateKey", &priv) ||
      !get_bytes(env, argv[1], 0, "message", &msg) || !get_bytes(env, argv[2], 0, "id", &id))
    return NULL;
  if (argc >= 4 && napi_typeof(env, argv[3], &fourth) == napi_ok && fourth != napi_undefined &&
      !get_bytes(env, argv[3], PUB_LEN, "publicKey", &pub))
    return NULL;
  if (!do_sign(get_state(env), priv.data, pub.data, msg.data, msg.len, id.data, id.len, out)) {
    napi_throw_error(env, "MZ_SM2.SIGN_FAILED", "SM2 signing failed (invalid private key?)");
    return NULL;
  }
  return make_bytes(env, out, SIG_LEN);
}

static napi_value js_public_key(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  bytes priv;
  unsigned char pub[PUB_LEN];
  NAPI_TRY(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) {
    napi_throw_type_error(env, "MZ_SM2.ARGUMENT", "publicKey(privateKey)");
    return NULL;
  }
  if (!get_bytes(env, argv[0], PRIV_LEN, "privateKey", &priv)) return NULL;
  if (!do_public_key(get_state(env), priv.data, pub)) {
    napi_throw_error(env, "MZ_SM2.INVALID_KEY", "invalid SM2 private key");
    return NULL;
  }
  return make_bytes(env, pub, PUB_LEN);
}

static void free_state(napi_env env, void *data, void *hint) {
  addon_state *st = (addon_state *)data;
  if (st == NULL) return;
  for (size_t i = 0; i < CACHE_SIZE; i++) EVP_PKEY_free(st->cache[i].pkey);
  EVP_MD_free(st->sm3);
  EC_GROUP_free(st->group);
  free(st);
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  addon_state *st = (addon_state *)calloc(1, sizeof(addon_state));
  if (st == NULL) {
    napi_throw_error(env, "MZ_SM2.INIT", "out of memory");
    return NULL;
  }
  st->sm3 = EVP_MD_fetch(NULL, "SM3", NULL);
  st->group = EC_GROUP_new_by_curve_name(NID_sm2);
  ERR_clear_error();
  if (st->sm3 == NULL || st->group == NULL) {
    free_state(env, st, NULL);
    napi_throw_error(env, "MZ_SM2.INIT", "this OpenSSL has no SM2/SM3");
    return NULL;
  }
  if (napi_set_instance_data(env, st, free_state, NULL) != napi_ok) {
    free_state(env, st, NULL);
    napi_throw_error(env, "MZ_SM2.INIT", "napi_set_instance_data failed");
    return NULL;
  }
  napi_value fn, version;
  NAPI_TRY(env, napi_create_function(env, "verify", NAPI_AUTO_LENGTH, js_verify, NULL, &fn));
  NAPI_TRY(env, napi_set_named_property(env, exports, "verify", fn));
  NAPI_TRY(env, napi_create_function(env, "sign", NAPI_AUTO_LENGTH, js_sign, NULL, &fn));
  NAPI_TRY(env, napi_set_named_property(env, exports, "sign", fn));
  NAPI_TRY(env, napi_create_function(env, "publicKey", NAPI_AUTO_LENGTH, js_public_key, NULL, &fn));
  NAPI_TRY(env, napi_set_named_property(env, exports, "publicKey", fn));
  NAPI_TRY(env, napi_create_string_utf8(env, OpenSSL_version(OPENSSL_VERSION), NAPI_AUTO_LENGTH, &version));
  NAPI_TRY(env, napi_set_named_property(env, exports, "opensslVersion", version));
  return exports;
}
