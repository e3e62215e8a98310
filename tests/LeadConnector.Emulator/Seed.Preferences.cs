namespace LeadConnector.Emulator;

/// <summary>
/// The seeded preferences: two custom subtypes in loc-alpha (an email newsletter and SMS promotions) and one in
/// loc-beta; subscription statuses for contact-a003 (Sofia Nguyen), who also has a second email address; and a review
/// id for every conversation of type Review (conv-a004, conv-a013, ...). The seeded contacts and conversations are
/// left as they are, so every count other tests rely on stays true.
/// </summary>
public static partial class Seed
{
    public const string NewsletterSubtypeId = "cst-alpha-newsletter";
    public const string PromotionsSubtypeId = "cst-alpha-promotions";
    public const string BetaSubtypeId = "cst-beta-updates";

    /// <summary>The contact with seeded subscription statuses, and its second address.</summary>
    public const string SubscribedContactId = "contact-a003";
    public const string SubscribedContactSecondEmail = "sofia@nguyen-realty.example.com";

    /// <summary>A conversation that came from a Google review (type Review).</summary>
    public const string ReviewConversationId = "conv-a004";

    private static readonly DateTimeOffset PreferencesEpoch = new(2025, 2, 3, 10, 0, 0, TimeSpan.Zero);

    internal static IEnumerable<StoredCustomSubtype> CustomSubtypes()
    {
        yield return new StoredCustomSubtype
        {
            Id = NewsletterSubtypeId, LocationId = AlphaLocation, Name = "Newsletter", Description = "Weekly newsletter",
            Channel = "email", Language = "en", DateAdded = PreferencesEpoch, DateUpdated = PreferencesEpoch.AddDays(3),
        };
        yield return new StoredCustomSubtype
        {
            Id = PromotionsSubtypeId, LocationId = AlphaLocation, Name = "Promotions", Description = "Offers by text message",
            Channel = "sms", Language = "en", DateAdded = PreferencesEpoch.AddDays(1), DateUpdated = PreferencesEpoch.AddDays(1),
        };
        yield return new StoredCustomSubtype
        {
            Id = BetaSubtypeId, LocationId = BetaLocation, Name = "Product updates", Description = "Release notes",
            Channel = "email", Language = "en", DateAdded = PreferencesEpoch, DateUpdated = PreferencesEpoch,
        };
    }

    internal static IEnumerable<(string ContactId, string Email)> ExtraEmails()
    {
        yield return (SubscribedContactId, SubscribedContactSecondEmail);
    }

    /// <summary>contact-a003: unsubscribed from One on One at its primary address; unsubscribed from the newsletter at the second.</summary>
    internal static IEnumerable<StoredSubscription> Subscriptions()
    {
        const string primary = "sofia.nguyen@example.com";
        yield return new StoredSubscription
        {
            LocationId = AlphaLocation, ContactId = SubscribedContactId, Email = primary, Type = "default", Status = "unsubscribed",
            DateUpdated = PreferencesEpoch.AddDays(10),
        };
        yield return new StoredSubscription
        {
            LocationId = AlphaLocation, ContactId = SubscribedContactId, Email = primary, Type = "custom", SubtypeId = NewsletterSubtypeId,
            Status = "subscribed", DateUpdated = PreferencesEpoch.AddDays(11),
        };
        yield return new StoredSubscription
        {
            LocationId = AlphaLocation, ContactId = SubscribedContactId, Email = SubscribedContactSecondEmail, Type = "custom",
            SubtypeId = NewsletterSubtypeId, Status = "unsubscribed", DateUpdated = PreferencesEpoch.AddDays(12),
        };
    }

    /// <summary>The id of the Google review a review conversation came from.</summary>
    internal static string ReviewId(string conversationId) => "review-" + conversationId;
}
