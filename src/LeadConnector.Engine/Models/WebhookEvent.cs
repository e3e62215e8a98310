using System;

namespace LeadConnector
{
    /// <summary>
    /// A verified webhook whose type this module does not model (NoteCreate, ContactDndUpdate, a type HighLevel adds
    /// later, ...): kept with its type and its body exactly as it came, never refused.
    /// </summary>
    public sealed class WebhookEvent
    {
        /// <summary>The payload's "type" (NoteCreate, ...), or null when it had none.</summary>
        public string? Type { get; set; }
        public string? WebhookId { get; set; }
        public DateTimeOffset? Timestamp { get; set; }
        public string? LocationId { get; set; }
        /// <summary>The body as it came (JSON text), for ConvertFrom-Json.</summary>
        public string Body { get; set; } = "";

        public override string ToString() => Type ?? "(webhook)";
    }
}
