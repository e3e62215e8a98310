using System;
using System.Collections.Generic;
using System.Globalization;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>The filters of GET /conversations/search. Null means "not sent".</summary>
    public sealed class ConversationQuery
    {
        public string? LocationId { get; set; }
        public string? ContactId { get; set; }
        public IReadOnlyList<string>? AssignedTo { get; set; }
        public string? Query { get; set; }
        public string? Status { get; set; }
        public string? LastMessageType { get; set; }
        public string? LastMessageDirection { get; set; }
        public string? Sort { get; set; }
        public string? SortBy { get; set; }
        public DateTimeOffset? StartDate { get; set; }
        public DateTimeOffset? EndDate { get; set; }
        /// <summary>lastMessageAction: automated or manual (the action of the last outbound message).</summary>
        public string? LastMessageAction { get; set; }
        /// <summary>followers: user ids, sent comma-separated.</summary>
        public IReadOnlyList<string>? Followers { get; set; }
        /// <summary>mentions: user ids, sent comma-separated.</summary>
        public IReadOnlyList<string>? Mentions { get; set; }
        /// <summary>scoreProfile: the score profile the score range filters on.</summary>
        public string? ScoreProfile { get; set; }
        public double? ScoreProfileMin { get; set; }
        public double? ScoreProfileMax { get; set; }
        /// <summary>sortScoreProfile: the score profile that sortBy=score_profile sorts on.</summary>
        public string? SortScoreProfile { get; set; }

        private static readonly string[] Actions = { "automated", "manual" };

        /// <summary>
        /// Refuses what the API would refuse or silently ignore, before anything is sent: an unknown action, a score
        /// range without its profile or upside down, sortBy=score_profile without the profile to sort on.
        /// </summary>
        internal void Validate()
        {
            if (LastMessageAction != null)
            {
                var action = Array.Find(Actions, a => string.Equals(a, LastMessageAction, StringComparison.OrdinalIgnoreCase));
                LastMessageAction = action ?? throw LcException.InvalidInput(
                    $"-LastMessageAction '{InputGuard.Printable(LastMessageAction)}' is not one of: automated, manual. Nothing was sent.");
            }
            if (string.Equals(SortBy, "score_profile", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(SortScoreProfile))
                throw LcException.InvalidInput("-SortBy score_profile needs the score profile to sort on: pass -SortScoreProfile. Nothing was sent.");
            if (SortScoreProfile != null && !string.Equals(SortBy, "score_profile", StringComparison.OrdinalIgnoreCase))
                throw LcException.InvalidInput("-SortScoreProfile is used only with -SortBy score_profile. Nothing was sent.");
            if ((ScoreProfileMin != null || ScoreProfileMax != null) && string.IsNullOrWhiteSpace(ScoreProfile))
                throw LcException.InvalidInput("-ScoreProfileMin and -ScoreProfileMax filter on a score profile: pass -ScoreProfile. Nothing was sent.");
            foreach (var n in new[] { ScoreProfileMin, ScoreProfileMax })
                if (n is double d && (double.IsNaN(d) || double.IsInfinity(d)))
                    throw LcException.InvalidInput("-ScoreProfileMin and -ScoreProfileMax must be finite numbers. Nothing was sent.");
            if (ScoreProfileMin is double min && ScoreProfileMax is double max && min > max)
                throw LcException.InvalidInput($"-ScoreProfileMin {min.ToString(CultureInfo.InvariantCulture)} is greater than -ScoreProfileMax {max.ToString(CultureInfo.InvariantCulture)}: no conversation could match. Nothing was sent.");
            if (Followers != null) foreach (var f in Followers) InputGuard.Id(f, "follower user id");
            if (Mentions != null) foreach (var m in Mentions) InputGuard.Id(m, "mentioned user id");
            if (ScoreProfile != null) InputGuard.Id(ScoreProfile, "score profile id");
            if (SortScoreProfile != null) InputGuard.Id(SortScoreProfile, "score profile id");
        }


        internal IEnumerable<KeyValuePair<string, string>> ToQuery(string locationId, int? limit, string? startAfter)
        {
            yield return Pair("locationId", locationId);
            if (ContactId != null) yield return Pair("contactId", ContactId);
            if (AssignedTo != null && AssignedTo.Count > 0) yield return Pair("assignedTo", string.Join(",", AssignedTo));
            if (Query != null) yield return Pair("query", Query);
            if (Status != null) yield return Pair("status", Status);
            if (LastMessageType != null) yield return Pair("lastMessageType", LastMessageType);
            if (LastMessageAction != null) yield return Pair("lastMessageAction", LastMessageAction);
            if (LastMessageDirection != null) yield return Pair("lastMessageDirection", LastMessageDirection);
            if (Followers != null && Followers.Count > 0) yield return Pair("followers", string.Join(",", Followers));
            if (Mentions != null && Mentions.Count > 0) yield return Pair("mentions", string.Join(",", Mentions));
            if (Sort != null) yield return Pair("sort", Sort);
            if (SortBy != null) yield return Pair("sortBy", SortBy);
            if (SortScoreProfile != null) yield return Pair("sortScoreProfile", SortScoreProfile);
            if (ScoreProfile != null) yield return Pair("scoreProfile", ScoreProfile);
            if (ScoreProfileMin is double min) yield return Pair("scoreProfileMin", min.ToString("R", CultureInfo.InvariantCulture));
            if (ScoreProfileMax is double max) yield return Pair("scoreProfileMax", max.ToString("R", CultureInfo.InvariantCulture));
            if (StartDate != null) yield return Pair("startDate", StartDate.Value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
            if (EndDate != null) yield return Pair("endDate", EndDate.Value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
            if (limit != null) yield return Pair("limit", limit.Value.ToString(CultureInfo.InvariantCulture));
            if (startAfter != null)
            {
                // An array sort value ("n,m": one document sorted by two fields) goes as the repeated form
                // startAfterDate=n&startAfterDate=m, which standard query parsers read as an array; "n,m" would be one string.
                foreach (var part in startAfter.Split(','))
                    yield return Pair("startAfterDate", part);
            }
        }

        private static KeyValuePair<string, string> Pair(string k, string v) => new KeyValuePair<string, string>(k, v);
    }
}
