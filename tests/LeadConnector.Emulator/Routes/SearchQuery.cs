using System.Globalization;

namespace LeadConnector.Emulator.Routes;

/// <summary>The validated query of <c>GET /conversations/search</c>, and the filtering, ordering and paging it asks for.</summary>
internal sealed class SearchQuery
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>Parameters the emulator implements.</summary>
    private static readonly string[] Implemented =
    [
        "locationId", "contactId", "assignedTo", "query", "status", "lastMessageType", "lastMessageDirection", "sort",
        "sortBy", "startDate", "endDate", "limit", "startAfterDate", "startAfterDate[]", "id",
        "followers", "mentions", "lastMessageAction", "sortScoreProfile", "scoreProfile", "scoreProfileMin", "scoreProfileMax",
    ];

    /// <summary>Documented in the OpenAPI file but without data here: accepted and ignored.</summary>
    private static readonly string[] AcceptedIgnored = [];
    private static readonly string[] Actions = ["automated", "manual"];

    private static readonly string[] Statuses = ["all", "read", "unread", "starred", "recents"];
    private static readonly string[] Sorts = ["asc", "desc"];
    private static readonly string[] SortBys = ["last_message_date", "last_manual_message_date", "score_profile", "overdue_at", "due_at"];
    private static readonly string[] Directions = ["inbound", "outbound"];
    private static readonly string[] LastMessageTypes =
    [
        "TYPE_CALL", "TYPE_SMS", "TYPE_RCS", "TYPE_EMAIL", "TYPE_SMS_REVIEW_REQUEST", "TYPE_WEBCHAT", "TYPE_SMS_NO_SHOW_REQUEST",
        "TYPE_CAMPAIGN_SMS", "TYPE_CAMPAIGN_CALL", "TYPE_CAMPAIGN_EMAIL", "TYPE_CAMPAIGN_VOICEMAIL", "TYPE_FACEBOOK",
        "TYPE_CAMPAIGN_FACEBOOK", "TYPE_CAMPAIGN_MANUAL_CALL", "TYPE_CAMPAIGN_MANUAL_SMS", "TYPE_GMB", "TYPE_CAMPAIGN_GMB",
        "TYPE_REVIEW", "TYPE_INSTAGRAM", "TYPE_WHATSAPP", "TYPE_CUSTOM_SMS", "TYPE_CUSTOM_EMAIL", "TYPE_CUSTOM_PROVIDER_SMS",
        "TYPE_CUSTOM_PROVIDER_EMAIL", "TYPE_IVR_CALL", "TYPE_ACTIVITY_CONTACT", "TYPE_ACTIVITY_INVOICE", "TYPE_ACTIVITY_PAYMENT",
        "TYPE_ACTIVITY_OPPORTUNITY", "TYPE_LIVE_CHAT", "TYPE_LIVE_CHAT_INFO_MESSAGE", "TYPE_ACTIVITY_APPOINTMENT",
        "TYPE_FACEBOOK_COMMENT", "TYPE_INSTAGRAM_COMMENT", "TYPE_CUSTOM_CALL", "TYPE_INTERNAL_COMMENT",
        "TYPE_ACTIVITY_EMPLOYEE_ACTION_LOG", "TYPE_TIKTOK", "TYPE_TIKTOK_COMMENT", "TYPE_ACTIVITY_WHATSAPP",
        "TYPE_FORM_SUBMISSION", "TYPE_SMS_REACTION",
    ];

    /// <summary>Parameter name (case-sensitive, as the API treats it) -> values in order.</summary>
    private readonly Dictionary<string, List<string>> _query;

    private SearchQuery(Dictionary<string, List<string>> query) => _query = query;

    public List<string> Errors { get; } = [];
    public string LocationId { get; private set; } = "";
    public string? ContactId { get; private set; }
    public string[]? AssignedTo { get; private set; }
    public string? Text { get; private set; }
    public string Status { get; private set; } = "all";
    public string? LastMessageType { get; private set; }
    public string? LastMessageDirection { get; private set; }
    public bool Ascending { get; private set; }
    public bool ByManualMessageDate { get; private set; }
    public double? StartDate { get; private set; }
    public double? EndDate { get; private set; }
    public int Limit { get; private set; } = DefaultLimit;
    /// <summary>The cursor: the sort value of the last document of the previous page (one or more numbers).</summary>
    public double[]? StartAfter { get; private set; }
    public string? Id { get; private set; }
    public string[]? Followers { get; private set; }
    public string[]? Mentions { get; private set; }
    public string? LastMessageAction { get; private set; }
    public string? ScoreProfile { get; private set; }
    public double? ScoreMin { get; private set; }
    public double? ScoreMax { get; private set; }
    /// <summary>sortBy=score_profile: the profile whose score orders the results.</summary>
    public string? SortScoreProfile { get; private set; }

    /// <summary>Parses and validates a raw query string ("?a=1&amp;b=2").</summary>
    public static SearchQuery Parse(QueryString queryString)
    {
        var query = ParsePairs(queryString.Value);
        var q = new SearchQuery(query);
        foreach (var key in query.Keys)
            if (!Implemented.Contains(key, StringComparer.Ordinal) && !AcceptedIgnored.Contains(key, StringComparer.Ordinal))
                q.Errors.Add($"property {key} should not exist");

        var location = q.Single("locationId");
        if (location is null && !q.Repeated("locationId")) q.Errors.Add("locationId should not be empty");
        q.LocationId = location ?? "";
        q.ContactId = q.Single("contactId");
        q.Text = q.Single("query");
        q.Id = q.Single("id");
        q.Status = q.OneOf("status", Statuses) ?? "all";
        q.Ascending = q.OneOf("sort", Sorts) == "asc";
        var sortBy = q.OneOf("sortBy", SortBys);
        q.ByManualMessageDate = sortBy == "last_manual_message_date";
        var sortProfile = q.Single("sortScoreProfile");
        if (sortBy == "score_profile")
        {
            if (sortProfile is null) q.Errors.Add("sortScoreProfile should not be empty when sortBy is score_profile");
            q.SortScoreProfile = sortProfile;
        }
        q.LastMessageAction = q.OneOf("lastMessageAction", Actions);
        q.ScoreProfile = q.Single("scoreProfile");
        q.ScoreMin = q.Number("scoreProfileMin");
        q.ScoreMax = q.Number("scoreProfileMax");
        if (query.TryGetValue("followers", out var followers)) q.Followers = Split(followers);
        if (query.TryGetValue("mentions", out var mentions)) q.Mentions = Split(mentions);
        q.LastMessageType = q.OneOf("lastMessageType", LastMessageTypes);
        q.LastMessageDirection = q.OneOf("lastMessageDirection", Directions);
        q.StartDate = q.Number("startDate");
        q.EndDate = q.Number("endDate");
        q.Limit = q.ParseLimit();
        q.StartAfter = q.ParseStartAfter();
        if (query.TryGetValue("assignedTo", out var assigned))
            q.AssignedTo = Split(assigned);
        return q;
    }

    /// <summary>Matches ordered by the sort value, the total before paging, and the requested page.</summary>
    public (IReadOnlyList<(StoredConversation Conversation, long[] SortValue)> Page, int Total) Run(IEnumerable<StoredConversation> conversations)
    {
        var matches = conversations.Where(Matches).Select(c => (Conversation: c, SortValue: SortValue(c)));
        var ordered = (Ascending
            ? matches.OrderBy(m => m.SortValue, SortComparer).ThenBy(m => m.Conversation.Id, StringComparer.Ordinal)
            : matches.OrderByDescending(m => m.SortValue, SortComparer).ThenBy(m => m.Conversation.Id, StringComparer.Ordinal)).ToList();
        IEnumerable<(StoredConversation, long[])> page = ordered;
        if (StartAfter is { } cursor)
            page = ordered.Where(m => Ascending ? CompareToCursor(m.SortValue, cursor) > 0 : CompareToCursor(m.SortValue, cursor) < 0);
        return ([.. page.Take(Limit)], ordered.Count);
    }

    /// <summary>
    /// The document's sort value, as the search index produces it: [lastMessageDate] by default; by
    /// last_manual_message_date two numbers, [lastManualMessageDate, lastMessageDate] (the second breaks ties).
    /// </summary>
    private long[] SortValue(StoredConversation c) => SortScoreProfile is { } profile
        ? [(long)(Score(profile, c) ?? -1), c.LastMessageDate.ToUnixTimeMilliseconds()]
        : ByManualMessageDate
        ? [c.LastManualMessageDate.ToUnixTimeMilliseconds(), c.LastMessageDate.ToUnixTimeMilliseconds()]
        : [c.LastMessageDate.ToUnixTimeMilliseconds()];

    /// <summary>The conversation's score in a profile (<see cref="Seed.Scores"/>), or null when it has none.</summary>
    private static double? Score(string profile, StoredConversation c) =>
        Seed.Scores.TryGetValue(profile, out var scores) && scores.TryGetValue(c.Id, out var score) ? score : null;

    private static bool AnyOf(string[] wanted, IReadOnlyDictionary<string, string[]> table, string id) =>
        table.TryGetValue(id, out var users) && wanted.Any(w => users.Contains(w, StringComparer.Ordinal));

    private static readonly Comparer<long[]> SortComparer = Comparer<long[]>.Create((a, b) =>
    {
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
            if (a[i] != b[i]) return a[i].CompareTo(b[i]);
        return a.Length.CompareTo(b.Length);
    });

    /// <summary>Lexicographic comparison over the numbers the cursor has (a shorter cursor compares its prefix).</summary>
    private static int CompareToCursor(long[] value, double[] cursor)
    {
        for (var i = 0; i < Math.Min(value.Length, cursor.Length); i++)
            if (value[i] != cursor[i]) return ((double)value[i]).CompareTo(cursor[i]);
        return 0;
    }

    private bool Matches(StoredConversation c)
    {
        if (Id is { Length: > 0 } && c.Id != Id) return false;
        if (ContactId is { Length: > 0 } && c.ContactId != ContactId) return false;
        if (AssignedTo is { Length: > 0 } users &&
            !users.Any(u => u == "unassigned" ? c.AssignedTo is null : u == c.AssignedTo)) return false;
        if (LastMessageType is not null && c.LastMessageType != LastMessageType) return false;
        if (LastMessageDirection is not null && c.LastMessageDirection != LastMessageDirection) return false;
        if (LastMessageAction is not null && Seed.LastMessageAction(c) != LastMessageAction) return false;
        if (Followers is { Length: > 0 } followers && !AnyOf(followers, Seed.Followers, c.Id)) return false;
        if (Mentions is { Length: > 0 } mentions && !AnyOf(mentions, Seed.Mentions, c.Id)) return false;
        if (ScoreProfile is { } profile)
        {
            if (Score(profile, c) is not double score) return false;
            if (ScoreMin is double min && score < min) return false;
            if (ScoreMax is double max && score > max) return false;
        }
        var added = c.DateAdded.ToUnixTimeMilliseconds();
        if (StartDate is double from && added < from) return false;
        if (EndDate is double to && added > to) return false;
        if (Text is { Length: > 0 } text &&
            !new[] { c.FullName, c.ContactName, c.Email, c.Phone, c.LastMessageBody }
                .Any(f => f?.Contains(text, StringComparison.OrdinalIgnoreCase) == true)) return false;
        return Status switch
        {
            "read" => c.UnreadCount == 0,
            "unread" => c.UnreadCount > 0,
            "starred" => c.Starred,
            _ => true,
        };
    }

    private bool Repeated(string name) => _query.TryGetValue(name, out var values) && values.Count > 1;

    /// <summary>The value of a parameter that must appear at most once; null when absent or empty.</summary>
    private string? Single(string name)
    {
        if (!_query.TryGetValue(name, out var values)) return null;
        if (values.Count > 1)
        {
            Errors.Add($"{name} must be a string");
            return null;
        }
        return string.IsNullOrEmpty(values[0]) ? null : values[0];
    }

    private string? OneOf(string name, string[] allowed)
    {
        var value = Single(name);
        if (value is null || allowed.Contains(value, StringComparer.Ordinal)) return value;
        Errors.Add($"{name} must be one of the following values: {string.Join(", ", allowed)}");
        return null;
    }

    private double? Number(string name)
    {
        var value = Single(name);
        if (value is null) return null;
        if (TryNumber(value, out var number)) return number;
        Errors.Add($"{name} must be a number conforming to the specified constraints");
        return null;
    }

    private int ParseLimit()
    {
        var limit = Number("limit");
        if (limit is null) return DefaultLimit;
        if (limit != Math.Floor(limit.Value)) Errors.Add("limit must be an integer number");
        else if (limit < 1) Errors.Add("limit must not be less than 1");
        else if (limit > MaxLimit) Errors.Add($"limit must not be greater than {MaxLimit}");
        else return (int)limit.Value;
        return DefaultLimit;
    }

    /// <summary>
    /// startAfterDate: a number, comma-separated numbers, a repeated parameter (startAfterDate=n&amp;startAfterDate=m) or
    /// the bracket form the official JS SDK sends (startAfterDate[]=n&amp;startAfterDate[]=m). All numbers form the cursor.
    /// </summary>
    private double[]? ParseStartAfter()
    {
        _query.TryGetValue("startAfterDate", out var plain);
        _query.TryGetValue("startAfterDate[]", out var bracket);
        if (plain is null && bracket is null) return null;
        if (plain is not null && bracket is not null)
        {
            Errors.Add("startAfterDate must be given in one form only");
            return null;
        }
        var parts = Split(plain ?? bracket!);
        if (parts.Length == 0 || !parts.All(p => TryNumber(p, out _)))
        {
            Errors.Add("startAfterDate must be a number or an array of numbers");
            return null;
        }
        return [.. parts.Select(p => { TryNumber(p, out var n); return n; })];
    }

    private static string[] Split(List<string> values) =>
        [.. values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];

    /// <summary>Splits a raw query string into names and decoded values, keeping names case-sensitive and repeats.</summary>
    private static Dictionary<string, List<string>> ParsePairs(string? raw)
    {
        var pairs = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var part in (raw ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var name = Decode(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? "" : Decode(part[(eq + 1)..]);
            if (!pairs.TryGetValue(name, out var values)) pairs[name] = values = [];
            values.Add(value);
        }
        return pairs;
    }

    private static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
