using System;
using System.Collections;
using System.Management.Automation;
using LeadConnector.Webhooks;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Test-LcWebhookSignature: true when a webhook's signature is HighLevel's, over the exact bytes of the body.
    /// x-ghl-signature (Ed25519) by default, with -PublicKey or LC_WEBHOOK_PUBLIC_KEY; -Legacy: x-wh-signature
    /// (RSA-SHA256), with -PublicKey or the key HighLevel's webhook guide publishes. Malformed input: an error, no output.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "LcWebhookSignature")]
    [OutputType(typeof(bool))]
    public sealed class TestLcWebhookSignatureCommand : LcCmdlet
    {
        /// <summary>The raw body: a string (UTF-8 encoded as it is) or its bytes.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [AllowEmptyString]
        public object Body { get; set; } = "";

        /// <summary>The x-ghl-signature header's value (x-wh-signature with -Legacy).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [AllowEmptyString]
        public string Signature { get; set; } = "";

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? PublicKey { get; set; }

        [Parameter]
        public SwitchParameter Legacy { get; set; }

        protected override void Process()
        {
            if (!WebhookInput.TryBytes(this, Body, out var bytes)) return;
            if (!WebhookInput.TryKey(this, PublicKey, Legacy, out var key)) return;

            WebhookVerifier verifier;
            try { verifier = WebhookVerifier.Create(key, Legacy); }
            catch (LcException ex)
            {
                WriteError(ErrorMap.Record(ex, "InvalidWebhookPublicKey", ErrorCategory.InvalidArgument, PublicKey));
                return;
            }
            byte[] signature;
            try { signature = verifier.DecodeSignature(Signature); }
            catch (LcException ex)
            {
                WriteError(ErrorMap.Record(ex, "InvalidWebhookSignatureFormat", ErrorCategory.InvalidArgument, Signature));
                return;
            }
            var valid = verifier.Verify(bytes, signature);
            WriteObject(valid);
        }
    }

    /// <summary>What Test-LcWebhookSignature and ConvertFrom-LcWebhook share: the body's bytes and the key to verify with.</summary>
    internal static class WebhookInput
    {
        /// <summary>The body's bytes: a string as UTF-8, a byte[] as it is. A parsed object (hashtable) is refused with advice.</summary>
        internal static bool TryBytes(Cmdlet cmdlet, object? body, out byte[] bytes)
        {
            var value = body is PSObject ps ? ps.BaseObject : body;
            switch (value)
            {
                case string s:
                    bytes = WebhookSignature.BodyBytes(s);
                    return true;
                case byte[] b:
                    bytes = b;
                    return true;
                case object[] items when items.Length > 0 && LanguagePrimitives.TryConvertTo(items, out byte[] converted):
                    bytes = converted;
                    return true;
            }
            var what = value == null ? "null" : value is IDictionary ? "a parsed object (hashtable)" : $"a {value.GetType().Name}";
            cmdlet.WriteError(ErrorMap.Record(
                new LcException(LcErrorKind.InvalidInput, $"The webhook body is {what}; the signature covers the raw body, so give it as the string or bytes that came. In Azure Functions use $Request.RawBody, not $Request.Body."),
                "InvalidWebhookBody", ErrorCategory.InvalidArgument, null));
            bytes = Array.Empty<byte>();
            return false;
        }

        /// <summary>
        /// The key text: -PublicKey; else, for Ed25519, LC_WEBHOOK_PUBLIC_KEY; for -Legacy null (the documented key).
        /// Writes NoWebhookPublicKey when Ed25519 has none.
        /// </summary>
        internal static bool TryKey(Cmdlet cmdlet, string? publicKey, bool legacy, out string? key)
        {
            key = publicKey;
            if (key != null || legacy) return true;
            key = Environment.GetEnvironmentVariable(WebhookSignature.PublicKeyVariable);
            if (!string.IsNullOrWhiteSpace(key)) return true;
            cmdlet.WriteError(ErrorMap.Record(
                new LcException(LcErrorKind.InvalidInput, $"No Ed25519 public key to verify the x-ghl-signature with: pass -PublicKey, or set the {WebhookSignature.PublicKeyVariable} environment variable to the key your app was given."),
                "NoWebhookPublicKey", ErrorCategory.InvalidArgument, null));
            return false;
        }

    }
}
