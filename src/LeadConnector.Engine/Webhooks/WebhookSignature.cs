using System;
using System.IO;
using System.Text;
using LeadConnector.Engine;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;

namespace LeadConnector.Webhooks
{
    /// <summary>
    /// Verifies HighLevel webhook signatures over the exact bytes of the body, as HighLevel's official SDK does:
    /// <c>x-ghl-signature</c> is Ed25519 (base64), <c>x-wh-signature</c> the deprecated RSA-SHA256 (PKCS#1 v1.5, base64).
    /// Ed25519 and the PEM reader come from BouncyCastle, so both targets (net8.0 and netstandard2.0 for Windows
    /// PowerShell) verify alike. Malformed keys and signatures throw <see cref="LcException"/> InvalidInput; a well-formed
    /// signature that does not match returns false.
    /// </summary>
    public static class WebhookSignature
    {
        /// <summary>The environment variable that holds the app's Ed25519 public key when none is given.</summary>
        public const string PublicKeyVariable = "LC_WEBHOOK_PUBLIC_KEY";

        /// <summary>The RSA public key of the legacy x-wh-signature, as HighLevel's webhook authentication guide publishes it.</summary>
        public const string LegacyPublicKeyPem =
            "-----BEGIN PUBLIC KEY-----\n" +
            "MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEAokvo/r9tVgcfZ5DysOSC\n" +
            "Frm602qYV0MaAiNnX9O8KxMbiyRKWeL9JpCpVpt4XHIcBOK4u3cLSqJGOLaPuXw6\n" +
            "dO0t6Q/ZVdAV5Phz+ZtzPL16iCGeK9po6D6JHBpbi989mmzMryUnQJezlYJ3DVfB\n" +
            "csedpinheNnyYeFXolrJvcsjDtfAeRx5ByHQmTnSdFUzuAnC9/GepgLT9SM4nCpv\n" +
            "uxmZMxrJt5Rw+VUaQ9B8JSvbMPpez4peKaJPZHBbU3OdeCVx5klVXXZQGNHOs8gF\n" +
            "3kvoV5rTnXV0IknLBXlcKKAQLZcY/Q9rG6Ifi9c+5vqlvHPCUJFT5XUGG5RKgOKU\n" +
            "J062fRtN+rLYZUV+BjafxQauvC8wSWeYja63VSUruvmNj8xkx2zE/Juc+yjLjTXp\n" +
            "IocmaiFeAO6fUtNjDeFVkhf5LNb59vECyrHD2SQIrhgXpO4Q3dVNA5rw576PwTzN\n" +
            "h/AMfHKIjE4xQA1SZuYJmNnmVZLIZBlQAF9Ntd03rfadZ+yDiOXCCs9FkHibELhC\n" +
            "HULgCsnuDJHcrGNd5/Ddm5hxGQ0ASitgHeMZ0kcIOwKDOzOU53lDza6/Y09T7sYJ\n" +
            "PQe7z0cvj7aE4B+Ax1ZoZGPzpJlZtGXCsu9aTEGEnKzmsFqwcSsnw3JB31IGKAyk\n" +
            "T1hhTiaCeIY/OwwwNUY2yvcCAwEAAQ==\n" +
            "-----END PUBLIC KEY-----\n";

        /// <summary>The body's bytes as they are signed: a string is UTF-8 encoded as it is (no BOM, no normalisation).</summary>
        public static byte[] BodyBytes(string body) => new UTF8Encoding(false).GetBytes(body ?? throw new ArgumentNullException(nameof(body)));

        /// <summary>
        /// True when <paramref name="signature"/> (the x-ghl-signature value: base64, or hex) is the Ed25519 signature of
        /// <paramref name="body"/> by <paramref name="publicKey"/> (PEM, or base64/hex of the 32-byte key or of its DER).
        /// </summary>
        public static bool VerifyEd25519(byte[] body, string signature, string publicKey) =>
            VerifyEd25519(body, DecodeSignature(signature, 64, "Ed25519"), ParseEd25519PublicKey(publicKey));

        /// <summary>True when the 64-byte <paramref name="signature"/> is the Ed25519 signature of <paramref name="body"/>.</summary>
        public static bool VerifyEd25519(byte[] body, byte[] signature, Ed25519PublicKeyParameters publicKey)
        {
            if (body == null) throw new ArgumentNullException(nameof(body));
            if (signature == null || signature.Length != 64) return false;
            var verifier = new Ed25519Signer();
            verifier.Init(false, publicKey ?? throw new ArgumentNullException(nameof(publicKey)));
            verifier.BlockUpdate(body, 0, body.Length);
            return verifier.VerifySignature(signature);
        }

        /// <summary>
        /// True when <paramref name="signature"/> (the x-wh-signature value, base64) is the RSA-SHA256 (PKCS#1 v1.5) signature
        /// of <paramref name="body"/>; <paramref name="publicKey"/> null means the documented key (<see cref="LegacyPublicKeyPem"/>).
        /// </summary>
        public static bool VerifyLegacy(byte[] body, string signature, string? publicKey = null) =>
            VerifyLegacy(body, DecodeSignature(signature, 0, "RSA"), ParseRsaPublicKey(publicKey ?? LegacyPublicKeyPem));

        public static bool VerifyLegacy(byte[] body, byte[] signature, RsaKeyParameters publicKey)
        {
            if (body == null) throw new ArgumentNullException(nameof(body));
            if (signature == null || signature.Length == 0) return false;
            var verifier = SignerUtilities.GetSigner("SHA256withRSA");
            verifier.Init(false, publicKey ?? throw new ArgumentNullException(nameof(publicKey)));
            verifier.BlockUpdate(body, 0, body.Length);
            try { return verifier.VerifySignature(signature); }
            catch (CryptoException) { return false; } // a signature of the wrong size for the key: not this key's
        }

        /// <summary>An Ed25519 public key: PEM (BEGIN PUBLIC KEY), or base64 or hex of the raw 32 bytes or of the DER key.</summary>
        public static Ed25519PublicKeyParameters ParseEd25519PublicKey(string publicKey)
        {
            var key = ParseKey(publicKey, "Ed25519", raw32: true);
            return key as Ed25519PublicKeyParameters
                ?? throw LcException.InvalidInput($"The public key is a {KeyKind(key)} key, not an Ed25519 key (x-ghl-signature). For the legacy x-wh-signature use -Legacy.");
        }

        /// <summary>An RSA public key: PEM (BEGIN PUBLIC KEY or BEGIN RSA PUBLIC KEY), or base64 or hex of its DER.</summary>
        public static RsaKeyParameters ParseRsaPublicKey(string publicKey)
        {
            var key = ParseKey(publicKey, "RSA", raw32: false);
            if (key is RsaKeyParameters rsa && !rsa.IsPrivate) return rsa;
            throw LcException.InvalidInput($"The public key is a {KeyKind(key)} key, not an RSA public key (the legacy x-wh-signature).");
        }

        private static string KeyKind(AsymmetricKeyParameter key) =>
            key is Ed25519PublicKeyParameters ? "Ed25519" : key is RsaKeyParameters ? "RSA" : key.GetType().Name.Replace("KeyParameters", "").Replace("PublicKeyParameters", "");

        private static AsymmetricKeyParameter ParseKey(string text, string kind, bool raw32)
        {
            var value = (text ?? "").Trim();
            if (value.Length == 0) throw LcException.InvalidInput($"The {kind} public key is empty.");
            if (value.IndexOf("-----BEGIN", StringComparison.Ordinal) >= 0) return ReadPem(value, kind);
            var bytes = DecodeText(value) ?? throw LcException.InvalidInput(
                $"The {kind} public key is neither PEM (-----BEGIN PUBLIC KEY-----) nor base64 nor hex text.");
            if (raw32 && bytes.Length == Ed25519PublicKeyParameters.KeySize) return new Ed25519PublicKeyParameters(bytes, 0);
            try { return PublicKeyFactory.CreateKey(bytes); }
            catch (Exception ex) when (ex is ArgumentException || ex is IOException || ex is InvalidCastException || ex is SecurityUtilityException || ex is InvalidOperationException)
            {
                throw LcException.InvalidInput(raw32
                    ? $"The {kind} public key decodes to {bytes.Length} bytes, which are neither a 32-byte Ed25519 key nor a DER public key."
                    : $"The {kind} public key decodes to {bytes.Length} bytes that are not a DER public key.");
            }
        }

        private static AsymmetricKeyParameter ReadPem(string pem, string kind)
        {
            object? read;
            try
            {
                using var reader = new StringReader(pem.Replace("\\n", "\n")); // a key from an environment variable may carry \n literally
                read = new PemReader(reader).ReadObject();
            }
            catch (Exception ex) when (ex is IOException || ex is ArgumentException || ex is InvalidCastException || ex is FormatException || ex is InvalidOperationException)
            {
                throw LcException.InvalidInput($"The {kind} public key is not readable PEM: {ex.Message}");
            }
            switch (read)
            {
                case AsymmetricKeyParameter key when !key.IsPrivate: return key;
                case AsymmetricKeyParameter _:
                case AsymmetricCipherKeyPair _:
                    throw LcException.InvalidInput($"The {kind} key is a private key. Give the public key (-----BEGIN PUBLIC KEY-----).");
                case null: throw LcException.InvalidInput($"The {kind} public key is not readable PEM (no -----BEGIN PUBLIC KEY----- block).");
                default: throw LcException.InvalidInput($"The {kind} public key's PEM holds a {read.GetType().Name}, not a public key.");
            }
        }

        /// <summary>
        /// A signature's bytes: base64 (standard or URL-safe), or hex. <paramref name="size"/> is the exact size required
        /// (0: any). Throws InvalidInput when it is neither, or of the wrong size.
        /// </summary>
        public static byte[] DecodeSignature(string signature, int size, string kind)
        {
            var value = (signature ?? "").Trim();
            if (value.Length == 0) throw LcException.InvalidInput($"The {kind} signature is empty.");
            byte[]? bytes = null;
            if (size > 0 && value.Length == size * 2) bytes = Hex(value);
            bytes ??= Base64(value) ?? (size == 0 ? null : Hex(value));
            if (bytes == null) throw LcException.InvalidInput($"The {kind} signature is not base64 text.");
            if (size > 0 && bytes.Length != size)
                throw LcException.InvalidInput($"The {kind} signature is {bytes.Length} bytes long; an {kind} signature is {size} bytes (base64 of {size} bytes).");
            return bytes;
        }

        private static byte[]? DecodeText(string value) => Hex(value) ?? Base64(value);

        private static byte[]? Hex(string value)
        {
            if (value.Length == 0 || value.Length % 2 != 0) return null;
            var bytes = new byte[value.Length / 2];
            for (var i = 0; i < bytes.Length; i++)
            {
                int hi = HexDigit(value[2 * i]), lo = HexDigit(value[2 * i + 1]);
                if (hi < 0 || lo < 0) return null;
                bytes[i] = (byte)(hi * 16 + lo);
            }
            return bytes;
        }

        private static int HexDigit(char c) =>
            c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

        private static byte[]? Base64(string value)
        {
            var s = value.Replace("\r", "").Replace("\n", "").Replace(" ", "").Replace('-', '+').Replace('_', '/');
            if (s.Length % 4 == 2) s += "==";
            else if (s.Length % 4 == 3) s += "=";
            try
            {
                var bytes = Convert.FromBase64String(s);
                return bytes.Length == 0 ? null : bytes;
            }
            catch (FormatException) { return null; }
        }
    }
}

namespace LeadConnector.Webhooks
{
    /// <summary>
    /// A parsed public key, ready to verify many bodies. Its members name no BouncyCastle type, so the cmdlet assembly
    /// (which binds only the engine) can hold one: on PowerShell 7 BouncyCastle loads in the module's own load context.
    /// </summary>
    public sealed class WebhookVerifier
    {
        private readonly Ed25519PublicKeyParameters? _ed25519;
        private readonly RsaKeyParameters? _rsa;

        private WebhookVerifier(Ed25519PublicKeyParameters? ed25519, RsaKeyParameters? rsa)
        {
            _ed25519 = ed25519;
            _rsa = rsa;
        }

        /// <summary>True for the legacy x-wh-signature (RSA-SHA256).</summary>
        public bool Legacy => _rsa != null;

        /// <summary>
        /// A verifier for x-ghl-signature (Ed25519 <paramref name="publicKey"/>), or with <paramref name="legacy"/> for
        /// x-wh-signature (RSA <paramref name="publicKey"/>, or the documented key when null). Throws InvalidInput for a malformed key.
        /// </summary>
        public static WebhookVerifier Create(string? publicKey, bool legacy)
        {
            if (legacy) return new WebhookVerifier(null, WebhookSignature.ParseRsaPublicKey(publicKey ?? WebhookSignature.LegacyPublicKeyPem));
            if (publicKey == null) throw LcException.InvalidInput("No Ed25519 public key was given.");
            return new WebhookVerifier(WebhookSignature.ParseEd25519PublicKey(publicKey), null);
        }

        /// <summary>The signature's bytes (base64 or hex). Throws InvalidInput when it is malformed or of the wrong size.</summary>
        public byte[] DecodeSignature(string signature) =>
            _rsa != null ? WebhookSignature.DecodeSignature(signature, 0, "RSA") : WebhookSignature.DecodeSignature(signature, 64, "Ed25519");

        /// <summary>True when <paramref name="signature"/> (from <see cref="DecodeSignature"/>) signs <paramref name="body"/>.</summary>
        public bool Verify(byte[] body, byte[] signature) =>
            _rsa != null ? WebhookSignature.VerifyLegacy(body, signature, _rsa) : WebhookSignature.VerifyEd25519(body, signature, _ed25519!);
    }
}
