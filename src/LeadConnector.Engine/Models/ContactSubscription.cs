using System;
using System.Collections.Generic;
using System.Text.Json;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>
    /// One subscription status of a contact's email address (GET /conversations/preferences/unsubscriptions/status):
    /// the default "One on One" type or a custom subtype, subscribed or unsubscribed. Named as SubscriptionActionDto
    /// names them (type, subtype_name, subtype_id, subtype_status). The OpenAPI file gives no response schema, so the
    /// reader is lenient: snake or camel case, status or subtype_status, a list as an array or under subscriptions,
    /// statuses or data, with the contact and location on each row or once at the top.
    /// </summary>
    public sealed class ContactSubscription
    {
        public string? ContactId { get; set; }
        public string? LocationId { get; set; }
        public string? Email { get; set; }
        /// <summary>default or custom (SubscriptionActionDto.type).</summary>
        public string? Type { get; set; }
        /// <summary>The default type's name ("One on One"), or the custom subtype's name.</summary>
        public string? SubtypeName { get; set; }
        /// <summary>The custom subtype's id (custom only).</summary>
        public string? SubtypeId { get; set; }
        /// <summary>subscribed or unsubscribed (SubscriptionActionDto.subtype_status).</summary>
        public string? Status { get; set; }
        /// <summary>email or sms.</summary>
        public string? Channel { get; set; }
        public DateTimeOffset? DateUpdated { get; set; }

        public override string ToString() => Email + " " + (SubtypeName ?? SubtypeId ?? Type) + ": " + Status;

        internal static readonly FieldMap<ContactSubscription> Fields = new FieldMap<ContactSubscription>(() => new ContactSubscription())
            .Add("contactId", (ref JsonSource s, ContactSubscription c) => c.ContactId = s.String())
            .Add("locationId", (ref JsonSource s, ContactSubscription c) => c.LocationId = s.String())
            .Add("email", (ref JsonSource s, ContactSubscription c) => c.Email = s.String())
            .Add("type", (ref JsonSource s, ContactSubscription c) => c.Type = s.String())
            .Add("subtype_name", (ref JsonSource s, ContactSubscription c) => c.SubtypeName = s.String())
            .Add("subtype_id", (ref JsonSource s, ContactSubscription c) => c.SubtypeId = s.String())
            .Add("subtype_status", (ref JsonSource s, ContactSubscription c) => c.Status = s.String())
            .Add("channel", (ref JsonSource s, ContactSubscription c) => c.Channel = s.String())
            .Add("updatedAt", (ref JsonSource s, ContactSubscription c) => c.DateUpdated = s.Date())
            .Add("subtypeName", (ref JsonSource s, ContactSubscription c) => { var v = s.String(); c.SubtypeName ??= v; })
            .Add("subtypeId", (ref JsonSource s, ContactSubscription c) => { var v = s.String(); c.SubtypeId ??= v; })
            .Add("subtypeStatus", (ref JsonSource s, ContactSubscription c) => { var v = s.String(); c.Status ??= v; })
            .Add("status", (ref JsonSource s, ContactSubscription c) => { var v = s.String(); c.Status ??= v; })
            .Add("dateUpdated", (ref JsonSource s, ContactSubscription c) => { var v = s.Date(); c.DateUpdated ??= v; });

        private sealed class Answer
        {
            public List<ContactSubscription>? Items;
            public string? ContactId;
            public string? LocationId;
            public string? Email;
        }

        private static readonly FieldMap<Answer> AnswerFields = new FieldMap<Answer>(() => new Answer())
            .Add("contactId", (ref JsonSource s, Answer a) => a.ContactId = s.String())
            .Add("locationId", (ref JsonSource s, Answer a) => a.LocationId = s.String())
            .Add("email", (ref JsonSource s, Answer a) => a.Email = s.String())
            .Add("subscriptions", (ref JsonSource s, Answer a) => Items(ref s, a))
            .Add("statuses", (ref JsonSource s, Answer a) => Items(ref s, a))
            .Add("data", (ref JsonSource s, Answer a) => Items(ref s, a));

        private static void Items(ref JsonSource s, Answer a)
        {
            if (s.Token == JsonTokenType.StartArray && a.Items == null) a.Items = s.Objects(Fields);
            else s.Skip();
        }

        /// <summary>
        /// The rows of a status answer (or of a change's answer), each with the contact, location and email the top level
        /// gives when the row has none. Null when the body holds no list.
        /// </summary>
        internal static List<ContactSubscription>? ReadList(byte[] body)
        {
            if (JsonSource.IsBlank(body)) return null;
            var source = new JsonSource(body);
            source.Reader.Read();
            List<ContactSubscription>? items;
            Answer? top = null;
            if (source.Token == JsonTokenType.StartArray) items = source.Objects(Fields);
            else if (source.Token == JsonTokenType.StartObject)
            {
                top = AnswerFields.ReadNew(ref source);
                items = top.Items;
            }
            else
            {
                source.Skip();
                items = null;
            }
            source.End();
            if (items != null && top != null)
                foreach (var row in items)
                {
                    row.ContactId ??= top.ContactId;
                    row.LocationId ??= top.LocationId;
                    row.Email ??= top.Email;
                }
            return items;
        }
    }
}
