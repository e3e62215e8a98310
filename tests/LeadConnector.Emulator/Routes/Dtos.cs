using LeadConnector.Emulator.Http;

namespace LeadConnector.Emulator.Routes;

/// <summary>The wire shapes of the API, one per documented schema. Null members are omitted.</summary>
internal static class Dtos
{
    /// <summary>GET /conversations/{id}: unwrapped; type as a number; lastMessageDate as an epoch-ms string.</summary>
    public sealed record ConversationById(
        string ContactId, string LocationId, bool Deleted, bool Inbox, int Type, int UnreadCount, string? AssignedTo,
        string Id, bool Starred, string? UserId, string? LastMessageBody, string? LastMessageType, string? LastMessageDirection,
        string? FullName, string? ContactName, string? Email, string? Phone, string DateAdded, string DateUpdated, string LastMessageDate);

    /// <summary>POST /conversations/ (inside the wrapper): dates as ISO strings.</summary>
    public sealed record CreatedConversation(
        string Id, string DateUpdated, string DateAdded, bool Deleted, string ContactId, string LocationId,
        string LastMessageDate, string? AssignedTo);

    /// <summary>PUT /conversations/{id} (inside the wrapper): ConversationDto.</summary>
    public sealed record Conversation(
        string Id, string LocationId, string ContactId, string? AssignedTo, string? UserId, string? LastMessageBody,
        string LastMessageDate, string? LastMessageType, int UnreadCount, bool Inbox, bool Starred, bool Deleted);

    /// <summary>One search result: type as a string; dates as epoch-ms numbers; sort = the cursor value.</summary>
    public sealed record SearchItem(
        string Id, string ContactId, string LocationId, string? LastMessageBody, string? LastMessageType,
        string? LastMessageDirection, string Type, int UnreadCount, string? FullName, string? ContactName, string? Email,
        string? Phone, string? AssignedTo, bool Starred, bool Inbox, long DateAdded, long DateUpdated, long LastMessageDate,
        long[] Sort);

    public sealed record SearchResult(IReadOnlyList<SearchItem> Conversations, int Total);

    public sealed record Wrapped(bool Success, object Conversation);

    public sealed record SuccessOnly(bool Success = true);

    /// <summary>GET /conversations/messages/email/{id}: GetEmailMessageResponseDto, unwrapped.</summary>
    public sealed record Email(
        string Id, string? AltId, string ThreadId, string LocationId, string ContactId, string ConversationId, string DateAdded,
        string? Subject, string Body, string Direction, string? Status, string ContentType, string[] Attachments,
        string? Provider, string From, string[] To, string[] Cc, string[] Bcc, string? ReplyToMessageId, string? Source,
        string? ConversationProviderId);

    public static string TypeName(ConversationKind kind) => kind switch
    {
        ConversationKind.Phone => "TYPE_PHONE",
        ConversationKind.Email => "TYPE_EMAIL",
        ConversationKind.FacebookMessenger => "TYPE_FB_MESSENGER",
        ConversationKind.Review => "TYPE_REVIEW",
        ConversationKind.GroupSms => "TYPE_GROUP_SMS",
        ConversationKind.InternalChat => "TYPE_INTERNAL_CHAT",
        _ => "TYPE_PHONE",
    };

    public static ConversationById ById(StoredConversation c) => new(
        c.ContactId, c.LocationId, c.Deleted, c.Inbox, (int)c.Type, c.UnreadCount, c.AssignedTo, c.Id, c.Starred, c.UserId,
        c.LastMessageBody, c.LastMessageType, c.LastMessageDirection, c.FullName, c.ContactName, c.Email, c.Phone,
        ApiJson.Iso(c.DateAdded), ApiJson.Iso(c.DateUpdated), ApiJson.MsString(c.LastMessageDate));

    public static CreatedConversation Created(StoredConversation c) => new(
        c.Id, ApiJson.Iso(c.DateUpdated), ApiJson.Iso(c.DateAdded), c.Deleted, c.ContactId, c.LocationId,
        ApiJson.Iso(c.LastMessageDate), c.AssignedTo);

    public static Conversation Updated(StoredConversation c) => new(
        c.Id, c.LocationId, c.ContactId, c.AssignedTo, c.UserId, c.LastMessageBody, ApiJson.MsString(c.LastMessageDate),
        c.LastMessageType, c.UnreadCount, c.Inbox, c.Starred, c.Deleted);

    public static SearchItem Search(StoredConversation c, long[] sortValue) => new(
        c.Id, c.ContactId, c.LocationId, c.LastMessageBody, c.LastMessageType, c.LastMessageDirection, TypeName(c.Type),
        c.UnreadCount, c.FullName, c.ContactName, c.Email, c.Phone, c.AssignedTo, c.Starred, c.Inbox,
        ApiJson.Ms(c.DateAdded), ApiJson.Ms(c.DateUpdated), ApiJson.Ms(c.LastMessageDate), sortValue);

    public static Email ForEmail(StoredEmail e) => new(
        e.Id, e.AltId, e.ThreadId, e.LocationId, e.ContactId, e.ConversationId, ApiJson.Iso(e.DateAdded), e.Subject, e.Body,
        e.Direction, e.Status, e.ContentType, e.Attachments, e.Provider, e.From, e.To, e.Cc, e.Bcc, e.ReplyToMessageId,
        e.Source, e.ConversationProviderId);

    /// <summary>Message types in the order of the OpenAPI enum; the number of a type is its index + 1 (TYPE_CALL = 1).</summary>
    public static readonly string[] MessageTypes =
    [
        "TYPE_CALL", "TYPE_SMS", "TYPE_EMAIL", "TYPE_SMS_REVIEW_REQUEST", "TYPE_WEBCHAT", "TYPE_SMS_NO_SHOW_REQUEST",
        "TYPE_CAMPAIGN_SMS", "TYPE_CAMPAIGN_CALL", "TYPE_CAMPAIGN_EMAIL", "TYPE_CAMPAIGN_VOICEMAIL", "TYPE_FACEBOOK",
        "TYPE_CAMPAIGN_FACEBOOK", "TYPE_CAMPAIGN_MANUAL_CALL", "TYPE_CAMPAIGN_MANUAL_SMS", "TYPE_GMB", "TYPE_CAMPAIGN_GMB",
        "TYPE_REVIEW", "TYPE_INSTAGRAM", "TYPE_WHATSAPP", "TYPE_CUSTOM_SMS", "TYPE_CUSTOM_EMAIL", "TYPE_CUSTOM_PROVIDER_SMS",
        "TYPE_CUSTOM_PROVIDER_EMAIL", "TYPE_IVR_CALL", "TYPE_ACTIVITY_CONTACT", "TYPE_ACTIVITY_INVOICE", "TYPE_ACTIVITY_PAYMENT",
        "TYPE_ACTIVITY_OPPORTUNITY", "TYPE_LIVE_CHAT", "TYPE_LIVE_CHAT_INFO_MESSAGE", "TYPE_ACTIVITY_APPOINTMENT",
        "TYPE_FACEBOOK_COMMENT", "TYPE_INSTAGRAM_COMMENT", "TYPE_CUSTOM_CALL", "TYPE_INTERNAL_COMMENT",
        "TYPE_ACTIVITY_EMPLOYEE_ACTION_LOG", "TYPE_TIKTOK", "TYPE_TIKTOK_COMMENT", "TYPE_ACTIVITY_WHATSAPP",
        "TYPE_FORM_SUBMISSION", "TYPE_SMS_REACTION",
    ];

    public static int MessageTypeNumber(string type) => Array.IndexOf(MessageTypes, type) + 1;

    public sealed record EmailMeta(string[] MessageIds, string? Subject);

    public sealed record MessageMeta(EmailMeta? Email);

    /// <summary>GetMessageResponseDto.</summary>
    public sealed record Message(
        string Id, int Type, string MessageType, string LocationId, string ContactId, string ConversationId, string DateAdded,
        string? Body, string Direction, string? Status, string ContentType, string[] Attachments, MessageMeta? Meta,
        string? Source, string? UserId, string? ConversationProviderId);

    /// <summary>GetMessagesByConversationResponseDto.</summary>
    public sealed record MessagePage(string? LastMessageId, bool NextPage, IReadOnlyList<Message> Messages);

    public sealed record NestedMessagePage(MessagePage Messages);

    /// <param name="withEmailBody">False in the list: the live list omits email bodies (fetch them by email id).</param>
    public static Message ForMessage(StoredMessage m, bool withEmailBody) => new(
        m.Id, MessageTypeNumber(m.MessageType), m.MessageType, m.LocationId, m.ContactId, m.ConversationId,
        ApiJson.Iso(m.DateAdded), m.IsEmail && !withEmailBody ? null : m.Body, m.Direction, m.Status, m.ContentType,
        m.Attachments, m.IsEmail ? new MessageMeta(new EmailMeta([m.Id], m.Subject)) : null, m.Source, m.UserId,
        m.ConversationProviderId);

    /// <summary>SendMessageResponseDto.</summary>
    public sealed record SendResult(
        string ConversationId, string MessageId, string? EmailMessageId, string[] MessageIds, string Msg, string Status);

    /// <summary>The contact object of GET /contacts/{id} and of the contact lists.</summary>
    public sealed record Contact(
        string Id, string LocationId, string? FirstName, string? LastName, string ContactName, string Name,
        string? FirstNameLowerCase, string? LastNameLowerCase, string? Email, string? Phone, string? CompanyName,
        string[] Tags, string DateAdded, string DateUpdated, string? Source, string Type, string? AssignedTo, bool Dnd,
        string? Timezone, string? Country, string? City, object[] CustomFields, object[]? SearchAfter);

    public static Contact ForContact(StoredContact c, bool withSearchAfter = false) => new(
        c.Id, c.LocationId, c.FirstName, c.LastName, c.ContactName, c.ContactName, c.FirstName?.ToLowerInvariant(),
        c.LastName?.ToLowerInvariant(), c.Email, c.Phone, c.CompanyName, c.Tags, ApiJson.Iso(c.DateAdded),
        ApiJson.Iso(c.DateUpdated), c.Source, c.Type, c.AssignedTo, c.Dnd, c.Timezone, c.Country, c.City, [],
        withSearchAfter ? [ApiJson.Ms(c.DateAdded), c.Id] : null);
}
