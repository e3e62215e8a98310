using System.Text;

namespace LeadConnector.Emulator;

/// <summary>
/// The seeded tokens, locations and data. Deterministic: every reset produces the same data.
/// loc-alpha holds conv-a001..conv-a045 (conversation N belongs to contact-aN, except conv-a045 which is a
/// second conversation of contact-a002); loc-beta holds conv-b001..conv-b003. Emails email-a001..a005
/// (conversations conv-a001..a005) and email-b001. Every lastMessageDate is unique and lies in 2024-2025.
/// </summary>
public static partial class Seed
{
    public const string AlphaLocation = "loc-alpha";
    public const string AlphaToken = "pit-alpha-0123456789abcdef";
    public const string BetaLocation = "loc-beta";
    public const string BetaToken = "pit-beta-0123456789abcdef";

    /// <summary>The company (agency) that owns loc-alpha and loc-beta.</summary>
    public const string CompanyId = "company-acme";
    /// <summary>Agency bearer token of <see cref="CompanyId"/>; exchanged at POST /oauth/locationToken.</summary>
    public const string AgencyToken = "agency-acme-0123456789abcdef";
    /// <summary>Locations owned by <see cref="CompanyId"/> (the agency token can get location tokens for these).</summary>
    public static readonly IReadOnlyList<string> CompanyLocations = [AlphaLocation, BetaLocation];
    /// <summary>The seeded OAuth app.</summary>
    public const string OAuthClientId = "lc-emulator-client";
    public const string OAuthClientSecret = "lc-emulator-secret-0123456789";
    /// <summary>The initial (single-use) refresh token for loc-alpha; every reset restores it.</summary>
    public const string AlphaRefreshToken = "rt-alpha-initial-0123456789abcdef";
    /// <summary>The user who installed the app.</summary>
    public const string OAuthUserId = "user-alice";

    /// <summary>conv-a001 holds more messages than the largest messages page (100).</summary>
    public const string BigConversationId = "conv-a001";
    public const int BigConversationMessageCount = 130;

    public const int AlphaConversationCount = 45;
    public const int BetaConversationCount = 3;

    /// <summary>Team members conversations are assigned to.</summary>
    public static readonly IReadOnlyList<string> Users = ["user-alice", "user-bruno", "user-chen"];

    /// <summary>Access token -> the location it is scoped to.</summary>
    public static readonly IReadOnlyDictionary<string, string> Tokens = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [AlphaToken] = AlphaLocation,
        [BetaToken] = BetaLocation,
    };

    private static readonly (string First, string Last, string? Company)[] AlphaPeople =
    [
        ("Olivia", "Bennett", "Bennett Dental"), ("Liam", "Carter", null), ("Sofia", "Nguyen", "Nguyen Realty"),
        ("Noah", "Patel", null), ("Emma", "Schmidt", "Schmidt & Co"), ("Mateo", "Rossi", null),
        ("Ava", "O'Brien", "O'Brien Plumbing"), ("Lucas", "Kowalski", null), ("Mia", "Haddad", "Cedar Yoga"),
        ("Ethan", "Johansson", null), ("Isabella", "García", "García Landscaping"), ("James", "Okafor", null),
        ("Chloé", "Dubois", "Boulangerie Dubois"), ("Benjamin", "Tanaka", null), ("Amelia", "Fischer", "Fischer Auto"),
        ("Henry", "Silva", null), ("Harper", "Müller", "Müller Bikes"), ("Daniel", "Kim", null),
        ("Evelyn", "Novak", "Novak Legal"), ("Samuel", "Adeyemi", null), ("Zoe", "Lindqvist", "North Star Fitness"),
        ("David", "Moreau", null), ("Aria", "Costa", "Costa Coffee Roasters"), ("Joseph", "Ivanova", null),
        ("Layla", "Brennan", "Brennan HVAC"), ("Owen", "Yamamoto", null), ("Nora", "Hughes", "Hughes Family Dental"),
        ("Leo", "Petrov", null), ("Grace", "Ferreira", "Ferreira Events"), ("Jack", "Andersen", null),
        ("Hannah", "Zhang", "Zhang Accounting"), ("Wyatt", "Romero", null), ("Lily", "Walsh", "Walsh Florists"),
        ("Elijah", "Baker", null), ("Ella", "Sato", "Sato Sushi"), ("Gabriel", "Murphy", null),
        ("Stella", "Ortiz", "Ortiz Roofing"), ("Julian", "Fitzgerald", null), ("Ruby", "Chandra", "Chandra Clinic"),
        ("Isaac", "Larsen", null), ("Violet", "Mendes", "Mendes Photography"), ("Levi", "Doyle", null),
        ("Aurora", "Kaur", "Kaur Tutoring"), ("Miles", "Becker", null), ("José", "Álvarez", "Álvarez Motors"),
    ];

    private static readonly (string First, string Last, string? Company)[] BetaPeople =
    [
        ("Priya", "Raman", "Raman Interiors"), ("Tomás", "Herrera", null), ("Freya", "Olsen", "Olsen Bakery"),
    ];

    private static readonly ConversationKind[] KindCycle =
    [
        ConversationKind.Phone, ConversationKind.Email, ConversationKind.Phone, ConversationKind.FacebookMessenger,
        ConversationKind.Review, ConversationKind.Phone, ConversationKind.GroupSms, ConversationKind.Email,
        ConversationKind.InternalChat,
    ];

    private static readonly string[] InboundBodies =
    [
        "Hi, can I move my appointment to Thursday?", "Thanks for the quick reply!", "What are your opening hours on Saturday?",
        "Is the quote still valid?", "Please call me back when you can.", "I'd like to book a consultation.",
        "Do you offer weekend delivery?", "Got the invoice, paying today.",
    ];

    private static readonly string[] OutboundBodies =
    [
        "Your appointment is confirmed for 10am.", "Here is the quote we discussed.", "Thanks for your review!",
        "We have a slot free tomorrow at 2pm.", "Reminder: your visit is next Monday.", "Your order has shipped.",
        "Happy to help, talk soon.", "Following up on your request from last week.",
    ];

    private static readonly DateTimeOffset Epoch2024 = new(2024, 1, 3, 9, 15, 0, TimeSpan.Zero);

    /// <summary>Conversation id of the Nth (1-based) seeded conversation of a location.</summary>
    public static string AlphaConversationId(int n) => $"conv-a{n:000}";
    public static string BetaConversationId(int n) => $"conv-b{n:000}";

    internal static IEnumerable<StoredConversation> Conversations()
    {
        for (var i = 1; i <= AlphaConversationCount; i++)
        {
            // conv-a045 is contact-a002's second conversation.
            var contactNumber = i == AlphaConversationCount ? 2 : i;
            var slot = i * 17 % AlphaConversationCount; // spread the dates so id order is not date order
            yield return Build(AlphaLocation, AlphaConversationId(i), $"contact-a{contactNumber:000}", AlphaPeople[contactNumber - 1], contactNumber, i, slot);
        }
        for (var i = 1; i <= BetaConversationCount; i++)
            yield return Build(BetaLocation, BetaConversationId(i), $"contact-b{i:000}", BetaPeople[i - 1], i + 100, i + 100, i * 13);
    }

    private static StoredConversation Build(string location, string id, string contactId,
        (string First, string Last, string? Company) person, int contactNumber, int i, int slot)
    {
        var kind = KindCycle[i % KindCycle.Length];
        var outbound = i % 2 == 0;
        var assignee = i % 4 == 0 ? null : Users[i % Users.Count];
        // Unique by construction: slots are 16 days apart, the per-conversation offset stays under two days.
        var lastMessage = Epoch2024.AddDays(slot * 16).AddMinutes(i * 37).AddMilliseconds(i * 1013);
        var fullName = $"{person.First} {person.Last}";
        return new StoredConversation
        {
            Id = id,
            LocationId = location,
            ContactId = contactId,
            Type = kind,
            AssignedTo = assignee,
            UserId = assignee,
            LastMessageBody = (outbound ? OutboundBodies : InboundBodies)[i % 8],
            LastMessageType = LastMessageTypeFor(kind, i),
            LastMessageDirection = outbound ? "outbound" : "inbound",
            LastMessageDate = lastMessage,
            // A different order than lastMessageDate, so sortBy=last_manual_message_date is observable.
            LastManualMessageDate = lastMessage.AddDays(-(i % 4) * 20).AddSeconds(-i),
            DateAdded = lastMessage.AddDays(-(1 + i % 9)).AddHours(-i % 24),
            DateUpdated = lastMessage.AddMinutes(i % 7),
            UnreadCount = i * 7 % 6,
            Inbox = i % 11 != 0,
            Starred = i % 5 == 0 || i == 1,
            FullName = fullName,
            ContactName = person.Company ?? fullName,
            Email = $"{Ascii(person.First)}.{Ascii(person.Last)}@example.com".ToLowerInvariant(),
            Phone = $"+1555{100000 + contactNumber * 379:0000000}",
        };
    }

    private static string LastMessageTypeFor(ConversationKind kind, int i) => kind switch
    {
        ConversationKind.Phone => i % 3 == 0 ? "TYPE_CALL" : "TYPE_SMS",
        ConversationKind.Email => "TYPE_EMAIL",
        ConversationKind.FacebookMessenger => "TYPE_FACEBOOK",
        ConversationKind.Review => "TYPE_REVIEW",
        ConversationKind.GroupSms => "TYPE_SMS",
        ConversationKind.InternalChat => "TYPE_INTERNAL_COMMENT",
        _ => "TYPE_SMS",
    };

    internal static IEnumerable<StoredEmail> Emails()
    {
        var conversations = Conversations().ToDictionary(c => c.Id);
        (string Subject, string Body, string ContentType)[] messages =
        [
            ("Appointment confirmation", "<p>Hi Olivia,</p><p>Your appointment is confirmed for <b>10am</b>.</p>", "text/html"),
            ("Re: Quote request", "Hi Liam, please find the quote attached.", "text/plain"),
            ("Your invoice #1042", "Hello Sofia, your invoice is attached. Thank you!", "text/plain"),
            ("Question about opening hours", "Are you open on public holidays?", "text/plain"),
            ("Welcome aboard", "<h1>Welcome, Emma!</h1><p>We are glad to have you.</p>", "text/html"),
        ];
        for (var n = 1; n <= messages.Length; n++)
        {
            var c = conversations[AlphaConversationId(n)];
            var m = messages[n - 1];
            var outbound = n != 4;
            yield return new StoredEmail
            {
                Id = $"email-a{n:000}",
                AltId = $"alt-a{n:000}",
                ThreadId = $"thread-a{n:000}",
                LocationId = c.LocationId,
                ContactId = c.ContactId,
                ConversationId = c.Id,
                DateAdded = c.DateAdded.AddHours(n),
                Subject = m.Subject,
                Body = m.Body,
                Direction = outbound ? "outbound" : "inbound",
                Status = outbound ? "delivered" : "read",
                ContentType = m.ContentType,
                Attachments = n is 2 or 3 ? [$"https://files.example.com/loc-alpha/attachment-{n}.pdf"] : [],
                Provider = n % 2 == 0 ? "mailgun" : "Leadconnector Gmail",
                From = outbound ? "Front Desk <frontdesk@alpha.example.com>" : $"{c.FullName} <{c.Email}>",
                To = outbound ? [c.Email!] : ["frontdesk@alpha.example.com"],
                Cc = n == 3 ? ["billing@alpha.example.com"] : [],
                Bcc = n == 5 ? ["archive@alpha.example.com"] : [],
                ReplyToMessageId = n == 2 ? "email-a001" : null,
                Source = n == 5 ? "workflow" : "app",
                ConversationProviderId = "cI08i1Bls3iTB9bKgF01",
            };
        }
        var b = conversations[BetaConversationId(1)];
        yield return new StoredEmail
        {
            Id = "email-b001", AltId = "alt-b001", ThreadId = "thread-b001",
            LocationId = b.LocationId, ContactId = b.ContactId, ConversationId = b.Id,
            DateAdded = b.DateAdded.AddHours(2), Subject = "Design proposal", Body = "Hi Priya, the proposal is ready.",
            Direction = "outbound", Status = "sent", ContentType = "text/plain", Provider = "smtp",
            From = "Studio <studio@beta.example.com>", To = [b.Email!], Source = "api",
            ConversationProviderId = "bX19k2Cmt4jUC0cLhG02",
        };
    }

    private static string Ascii(string s)
    {
        var sb = new StringBuilder();
        foreach (var ch in s.Normalize(NormalizationForm.FormD))
            if (char.IsAsciiLetterOrDigit(ch)) sb.Append(ch);
        return sb.ToString();
    }
}
