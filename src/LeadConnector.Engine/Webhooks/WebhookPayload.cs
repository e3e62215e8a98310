using System;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using LeadConnector.Engine;

namespace LeadConnector.Webhooks
{
    /// <summary>
    /// A verified webhook body read into the module's types: InboundMessage/OutboundMessage a <see cref="Message"/>,
    /// the Contact* events a <see cref="Contact"/>, ConversationUnreadUpdate a <see cref="Conversation"/>,
    /// INSTALL/UNINSTALL a <see cref="WebhookInstallEvent"/>, any other type a <see cref="WebhookEvent"/> with the raw body.
    /// The models' own FieldMap readers read the body; the webhook's own spellings (messageId, messageType "SMS") are
    /// mapped afterwards through their public setters.
    /// </summary>
    public sealed class WebhookPayload
    {
        /// <summary>The payload's "type".</summary>
        public string? Type { get; private set; }
        /// <summary>The payload's "webhookId" (the replay key).</summary>
        public string? WebhookId { get; private set; }
        /// <summary>The payload's "timestamp" (when HighLevel sent it), as UTC.</summary>
        public DateTimeOffset? Timestamp { get; private set; }
        /// <summary>The typed event.</summary>
        public object Item { get; private set; } = null!;

        private string? _locationId, _messageId, _messageType, _subject, _emailMessageId;

        private static readonly FieldMap<WebhookPayload> Envelope = new FieldMap<WebhookPayload>(() => new WebhookPayload())
            .Add("type", (ref JsonSource s, WebhookPayload p) => p.Type = s.String())
            .Add("webhookId", (ref JsonSource s, WebhookPayload p) => p.WebhookId = s.String())
            .Add("timestamp", (ref JsonSource s, WebhookPayload p) => p.Timestamp = s.Date())
            .Add("locationId", (ref JsonSource s, WebhookPayload p) => p._locationId = s.String())
            .Add("messageId", (ref JsonSource s, WebhookPayload p) => p._messageId = s.String())
            .Add("messageType", (ref JsonSource s, WebhookPayload p) => p._messageType = s.String())
            .Add("subject", (ref JsonSource s, WebhookPayload p) => p._subject = s.String())
            .Add("emailMessageId", (ref JsonSource s, WebhookPayload p) => p._emailMessageId = s.String());

        /// <summary>Reads a (verified) body. Throws InvalidInput when it is not one JSON object.</summary>
        public static WebhookPayload Read(byte[] body)
        {
            if (body == null) throw new ArgumentNullException(nameof(body));
            WebhookPayload payload;
            try
            {
                if (!Envelope.TryReadBody(body, out payload))
                    throw LcException.InvalidInput("The webhook body is not a JSON object.");
                payload.Item = payload.ReadItem(body);
            }
            catch (JsonException ex)
            {
                throw LcException.InvalidInput($"The webhook body is not valid JSON: {ex.Message}", ex);
            }
            return payload;
        }

        private object ReadItem(byte[] body)
        {
            switch (Type)
            {
                case "InboundMessage":
                case "OutboundMessage":
                    Message.Fields.TryReadBody(body, out var message);
                    message.Id ??= _messageId;
                    message.MessageType = MessageTypeName(_messageType);
                    message.Subject ??= _subject;
                    if (message.EmailMessageIds.Count == 0 && _emailMessageId != null) message.EmailMessageIds = new StringList(new[] { _emailMessageId });
                    return message;
                case "ContactCreate":
                case "ContactUpdate":
                case "ContactDelete":
                case "ContactTagUpdate":
                    Contact.Fields.TryReadBody(body, out var contact);
                    if (contact.Type == Type) contact.Type = null; // the event's type, not the contact's (lead, customer)
                    return contact;
                case "ConversationUnreadUpdate":
                    Conversation.Fields.TryReadBody(body, out var conversation);
                    conversation.Type = null; // "ConversationUnreadUpdate" is the event's type, not a conversation type
                    return conversation;
                case "INSTALL":
                case "UNINSTALL":
                    WebhookInstallEvent.Fields.TryReadBody(body, out var install);
                    return install;
                default:
                    return new WebhookEvent
                    {
                        Type = Type,
                        WebhookId = WebhookId,
                        Timestamp = Timestamp,
                        LocationId = _locationId,
                        Body = new UTF8Encoding(false).GetString(body),
                    };
            }
        }

        /// <summary>The webhook's messageType ("SMS", "Email", "CALL", ...) in the TYPE_* spelling the message list uses; unknown ones as they came.</summary>
        internal static string? MessageTypeName(string? webhookType)
        {
            if (string.IsNullOrWhiteSpace(webhookType)) return null;
            var v = webhookType!.Trim().ToUpperInvariant().Replace(' ', '_');
            if (v.StartsWith("TYPE_", StringComparison.Ordinal)) return v;
            switch (v)
            {
                case "FB": return "TYPE_FACEBOOK";
                case "IG": return "TYPE_INSTAGRAM";
                case "LIVECHAT": return "TYPE_LIVE_CHAT";
                case "VOICEMAIL": return "TYPE_CALL"; // a voicemail is a call message whose status is voicemail
            }
            return Array.IndexOf(MessageTypeNamesFilter, "TYPE_" + v) >= 0 ? "TYPE_" + v : webhookType;
        }

        private static readonly string[] MessageTypeNamesFilter = System.Linq.Enumerable.ToArray(MessageTypeNames.Filter);
    }

    /// <summary>
    /// The replay refusal HighLevel's webhook guide advises: a timestamp outside the accepted window, or a webhookId this
    /// process has already accepted. Ids are kept per process (a Functions worker, a listener script) for a day.
    /// </summary>
    public static class WebhookReplayGuard
    {
        private static readonly ConcurrentDictionary<string, DateTimeOffset> Seen = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        private static readonly TimeSpan Keep = TimeSpan.FromDays(1);

        /// <summary>
        /// Null when the payload is fresh and new (its id is then remembered), else why it is refused. With
        /// <paramref name="allowReplay"/> nothing is refused, and the id is still remembered.
        /// </summary>
        public static string? Check(WebhookPayload payload, DateTimeOffset now, TimeSpan maxAge, bool allowReplay)
        {
            if (payload == null) throw new ArgumentNullException(nameof(payload));
            string? refusal = null;
            if (payload.Timestamp is not DateTimeOffset at)
                refusal = "The webhook has no timestamp, so its age cannot be checked.";
            else if (now - at > maxAge)
                refusal = $"The webhook's timestamp {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z is {Age(now - at)} old, older than the {Age(maxAge)} accepted.";
            else if (at - now > maxAge)
                refusal = $"The webhook's timestamp {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z is {Age(at - now)} in the future (more than the {Age(maxAge)} accepted): check this machine's clock.";
            else if (string.IsNullOrEmpty(payload.WebhookId))
                refusal = "The webhook has no webhookId, so a replay of it cannot be told apart.";
            if (refusal != null) return allowReplay ? null : refusal;

            Prune(now);
            if (Seen.TryAdd(payload.WebhookId!, now) || allowReplay)
            {
                Seen[payload.WebhookId!] = now;
                return null;
            }
            return $"The webhook '{InputGuard.Printable(payload.WebhookId!)}' was already received by this process: a replay.";
        }

        /// <summary>Forgets every id (tests).</summary>
        public static void Clear() => Seen.Clear();

        private static void Prune(DateTimeOffset now)
        {
            if (Seen.Count < 10000) return;
            foreach (var entry in Seen)
                if (now - entry.Value > Keep) Seen.TryRemove(entry.Key, out _);
        }

        private static string Age(TimeSpan span)
        {
            if (span.TotalSeconds < 120) return $"{Math.Round(span.TotalSeconds)} s";
            if (span.TotalMinutes < 120) return $"{Math.Round(span.TotalMinutes)} min";
            if (span.TotalHours < 48) return $"{Math.Round(span.TotalHours)} h";
            return $"{Math.Round(span.TotalDays)} days";
        }
    }
}
