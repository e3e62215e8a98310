using System;
using System.Management.Automation;
using LeadConnector.Webhooks;

namespace LeadConnector.Commands
{
    /// <summary>
    /// ConvertFrom-LcWebhook: verifies a webhook's signature (as Test-LcWebhookSignature), refuses replays (a timestamp
    /// older than -MaxAge, a webhookId this process has seen) and emits the event as the module's types, each with the
    /// note properties WebhookType, WebhookId and WebhookTimestamp. A bad signature or a replay stops the command
    /// before anything is emitted; an unknown event type is a WebhookEvent, never an error.
    /// </summary>
    [Cmdlet(VerbsData.ConvertFrom, "LcWebhook", DefaultParameterSetName = VerifySet)]
    [OutputType(typeof(Message), typeof(Contact), typeof(Conversation), typeof(WebhookInstallEvent), typeof(WebhookEvent))]
    public sealed class ConvertFromLcWebhookCommand : LcCmdlet
    {
        private const string VerifySet = "Verify";
        private const string SkipSet = "SkipSignatureCheck";

        /// <summary>The raw body: a string (UTF-8 encoded as it is) or its bytes.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [AllowEmptyString]
        public object Body { get; set; } = "";

        /// <summary>The x-ghl-signature header's value (x-wh-signature with -Legacy).</summary>
        [Parameter(ParameterSetName = VerifySet, Mandatory = true, Position = 1)]
        [AllowEmptyString]
        [AllowNull]
        public string? Signature { get; set; }

        [Parameter(ParameterSetName = SkipSet, Mandatory = true)]
        public SwitchParameter SkipSignatureCheck { get; set; }

        [Parameter(ParameterSetName = VerifySet)]
        [ValidateNotNullOrEmpty]
        public string? PublicKey { get; set; }

        [Parameter(ParameterSetName = VerifySet)]
        public SwitchParameter Legacy { get; set; }

        /// <summary>How old (by its timestamp) a webhook may be; 5 minutes, as HighLevel's guide advises.</summary>
        [Parameter]
        public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>Accept old, undated and already-seen webhooks (for replaying a stored one on purpose).</summary>
        [Parameter]
        public SwitchParameter AllowReplay { get; set; }

        private WebhookVerifier? _verifier;

        protected override void Begin()
        {
            if (MaxAge <= TimeSpan.Zero)
                Terminate("-MaxAge must be longer than zero.", "InvalidMaxAge", ErrorCategory.InvalidArgument, MaxAge);
            if (SkipSignatureCheck) return;
            string? key = PublicKey;
            if (key == null && !Legacy)
            {
                key = Environment.GetEnvironmentVariable(WebhookSignature.PublicKeyVariable);
                if (string.IsNullOrWhiteSpace(key))
                    Terminate($"No Ed25519 public key to verify the x-ghl-signature with: pass -PublicKey, or set the {WebhookSignature.PublicKeyVariable} environment variable to the key your app was given.",
                        "NoWebhookPublicKey", ErrorCategory.InvalidArgument, null);
            }
            try { _verifier = WebhookVerifier.Create(key, Legacy); }
            catch (LcException ex) { ThrowTerminatingError(ErrorMap.Record(ex, "InvalidWebhookPublicKey", ErrorCategory.InvalidArgument, PublicKey)); }
        }

        protected override void Process()
        {
            if (!WebhookInput.TryBytes(this, Body, out var bytes)) return;
            if (_verifier != null && !Verified(_verifier, bytes))
                Terminate(Signature == null || Signature.Trim().Length == 0
                        ? $"The webhook has no signature (the {(Legacy ? "x-wh-signature" : "x-ghl-signature")} header was empty): it is refused."
                        : $"The webhook's signature does not match its body with this public key ({(Legacy ? "RSA-SHA256, x-wh-signature" : "Ed25519, x-ghl-signature")}): it is refused. Pass the raw body exactly as it came.",
                    "InvalidWebhookSignature", ErrorCategory.SecurityError, null);

            WebhookPayload payload;
            try { payload = WebhookPayload.Read(bytes); }
            catch (LcException ex)
            {
                WriteError(ErrorMap.Record(ex, "InvalidWebhookBody", ErrorCategory.InvalidData, null));
                return;
            }
            var refusal = WebhookReplayGuard.Check(payload, DateTimeOffset.UtcNow, MaxAge, AllowReplay);
            if (refusal != null)
                ThrowTerminatingError(ErrorMap.Record(new LcException(LcErrorKind.InvalidInput, refusal), "WebhookReplayed", ErrorCategory.SecurityError, payload.WebhookId,
                    "Refuse this request. To accept it on purpose (a stored webhook replayed by you), use -AllowReplay."));

            var output = PSObject.AsPSObject(payload.Item);
            output.Properties.Add(new PSNoteProperty("WebhookType", payload.Type));
            output.Properties.Add(new PSNoteProperty("WebhookId", payload.WebhookId));
            output.Properties.Add(new PSNoteProperty("WebhookTimestamp", payload.Timestamp));
            WriteObject(output);
        }

        /// <summary>A malformed signature is a bad signature here: the request is refused the same way.</summary>
        private bool Verified(WebhookVerifier verifier, byte[] bytes)
        {
            try { return verifier.Verify(bytes, verifier.DecodeSignature(Signature ?? "")); }
            catch (LcException) { return false; }
        }
    }
}
