namespace LeadConnector.Emulator;

public static partial class Seed
{
    private static readonly string[] OlderTypes =
        ["TYPE_SMS", "TYPE_SMS", "TYPE_EMAIL", "TYPE_CALL", "TYPE_SMS", "TYPE_WHATSAPP", "TYPE_FACEBOOK", "TYPE_EMAIL", "TYPE_INTERNAL_COMMENT"];

    private static readonly string[] Tags = ["customer", "lead", "vip", "newsletter"];
    private static readonly string[] Sources = ["website", "api", "manual", "facebook"];

    /// <summary>One contact per contactId of the conversations, with the details the conversations carry.</summary>
    internal static IEnumerable<StoredContact> Contacts(IEnumerable<StoredConversation> conversations)
    {
        foreach (var group in conversations.GroupBy(c => c.ContactId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var c = group.OrderBy(x => x.Id, StringComparer.Ordinal).First();
            var n = Number(group.Key);
            var name = (c.FullName ?? "").Split(' ', 2);
            yield return new StoredContact
            {
                Id = c.ContactId,
                LocationId = c.LocationId,
                FirstName = name[0],
                LastName = name.Length > 1 ? name[1] : null,
                CompanyName = c.ContactName != c.FullName ? c.ContactName : null,
                Email = c.Email,
                Phone = c.Phone,
                Tags = n % 3 == 0 ? [] : n % 3 == 1 ? [Tags[n % 4]] : [Tags[n % 4], Tags[(n + 1) % 4]],
                DateAdded = group.Min(x => x.DateAdded).AddDays(-3).AddMinutes(-n),
                DateUpdated = group.Max(x => x.DateUpdated),
                Source = Sources[n % Sources.Length],
                Type = n % 2 == 0 ? "customer" : "lead",
                AssignedTo = c.AssignedTo,
                Timezone = "America/New_York",
                Country = "US",
                City = n % 2 == 0 ? "Springfield" : "Riverside",
            };
        }
    }

    /// <summary>
    /// The messages of each conversation, newest first: the newest is the conversation's last message; the seeded
    /// emails of a conversation are messages of it (same id); other TYPE_EMAIL messages get an email of their own.
    /// conv-a001 has <see cref="BigConversationMessageCount"/> generated messages (plus email-a001).
    /// </summary>
    internal static IEnumerable<(StoredMessage Message, StoredEmail? Email)> Messages(
        IEnumerable<StoredConversation> conversations, IEnumerable<StoredEmail> emails)
    {
        var emailsByConversation = emails.ToLookup(e => e.ConversationId);
        foreach (var c in conversations.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            var i = Number(c.Id);
            var count = c.Id == BigConversationId ? BigConversationMessageCount : 3 + i % 4;
            for (var k = 0; k < count; k++)
            {
                var type = k == 0 ? c.LastMessageType ?? "TYPE_SMS" : OlderTypes[(k + i) % OlderTypes.Length];
                var direction = k == 0 ? c.LastMessageDirection ?? "inbound" : (k + i) % 2 == 0 ? "outbound" : "inbound";
                var date = k == 0 ? c.LastMessageDate : c.LastMessageDate.AddMinutes(-97 * k).AddSeconds(-k);
                var body = k == 0 ? c.LastMessageBody : type switch
                {
                    "TYPE_CALL" => null,
                    _ => (direction == "outbound" ? OutboundBodies : InboundBodies)[(k + i) % 8],
                };
                var isEmail = type == "TYPE_EMAIL";
                var id = $"{(isEmail ? "email" : "msg")}-{c.Id}-{k:000}";
                var subject = isEmail ? $"{(k % 2 == 0 ? "Re: " : "")}Message {k} for {c.FullName}" : null;
                var message = new StoredMessage
                {
                    Id = id, LocationId = c.LocationId, ContactId = c.ContactId, ConversationId = c.Id, MessageType = type,
                    DateAdded = date, Body = body, Direction = direction,
                    Status = type == "TYPE_CALL" ? "completed" : direction == "outbound" ? "delivered" : "read",
                    ContentType = "text/plain", Source = direction == "outbound" ? "app" : null,
                    UserId = direction == "outbound" ? c.AssignedTo : null, Subject = subject,
                };
                if (message.Status == "completed") message.Status = "delivered";
                StoredEmail? email = null;
                if (isEmail)
                {
                    email = new StoredEmail
                    {
                        Id = id, ThreadId = $"thread-{c.Id}", LocationId = c.LocationId, ContactId = c.ContactId,
                        ConversationId = c.Id, DateAdded = date, Subject = subject, Body = body ?? "", Direction = direction,
                        Status = message.Status, ContentType = "text/plain", Provider = "Leadconnector Gmail",
                        From = direction == "outbound" ? "Front Desk <frontdesk@example.com>" : $"{c.FullName} <{c.Email}>",
                        To = direction == "outbound" ? c.Email is null ? [] : [c.Email] : ["frontdesk@example.com"],
                        Source = "app",
                    };
                }
                yield return (message, email);
            }
            foreach (var e in emailsByConversation[c.Id])
            {
                yield return (new StoredMessage
                {
                    Id = e.Id, LocationId = e.LocationId, ContactId = e.ContactId, ConversationId = e.ConversationId,
                    MessageType = "TYPE_EMAIL", DateAdded = e.DateAdded, Body = e.Body, Direction = e.Direction,
                    Status = e.Status, ContentType = e.ContentType, Attachments = e.Attachments, Source = e.Source,
                    ConversationProviderId = e.ConversationProviderId, Subject = e.Subject,
                }, null);
            }
            foreach (var extra in ScheduledAndCalls(c)) yield return extra;
        }
    }

    /// <summary>Conversations and contacts for a location added by <see cref="EmulatorState.AddLocation"/>.</summary>
    internal static IEnumerable<(StoredConversation Conversation, StoredContact Contact)> ForLocation(string locationId, int count)
    {
        var start = new DateTimeOffset(2025, 6, 2, 8, 0, 0, TimeSpan.Zero);
        for (var n = 1; n <= count; n++)
        {
            var last = start.AddMinutes(-53 * n).AddMilliseconds(n);
            var conversation = new StoredConversation
            {
                Id = $"{locationId}-conv-{n:000}", LocationId = locationId, ContactId = $"{locationId}-contact-{n:000}",
                Type = ConversationKind.Phone, LastMessageBody = InboundBodies[n % 8], LastMessageType = "TYPE_SMS",
                LastMessageDirection = "inbound", LastMessageDate = last, LastManualMessageDate = last.AddSeconds(-n),
                DateAdded = last.AddDays(-2), DateUpdated = last, UnreadCount = n % 3, Inbox = true,
                FullName = $"Test{n} Person", ContactName = $"Test{n} Person", Email = $"test{n}@{locationId}.example.com",
                Phone = $"+1555{200000 + n:0000000}",
            };
            var contact = new StoredContact
            {
                Id = conversation.ContactId, LocationId = locationId, FirstName = $"Test{n}", LastName = "Person",
                Email = conversation.Email, Phone = conversation.Phone, DateAdded = conversation.DateAdded.AddDays(-1),
                DateUpdated = conversation.DateUpdated, Source = "api", Type = "lead", Tags = ["lead"],
            };
            yield return (conversation, contact);
        }
    }

    /// <summary>The trailing number of an id such as conv-a007 or contact-b002 (0 when none).</summary>
    private static int Number(string id)
    {
        var end = id.Length;
        var start = end;
        while (start > 0 && char.IsAsciiDigit(id[start - 1])) start--;
        return start == end ? 0 : int.Parse(id.AsSpan(start, Math.Min(end - start, 6)), System.Globalization.CultureInfo.InvariantCulture);
    }
}
