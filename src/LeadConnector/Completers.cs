using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace LeadConnector.Commands
{
    /// <summary>The values of the API's enum-like parameters, in the API's own spelling (the OpenAPI's enums).</summary>
    internal static class ApiValues
    {
        /// <summary>GET /conversations/search: status.</summary>
        public static readonly string[] ConversationStatus = { "all", "read", "unread", "starred", "recents" };
        /// <summary>GET /conversations/search: sort.</summary>
        public static readonly string[] Sort = { "asc", "desc" };
        /// <summary>GET /conversations/search: sortBy.</summary>
        public static readonly string[] SortBy = { "last_message_date", "last_manual_message_date", "score_profile", "overdue_at", "due_at" };
        /// <summary>GET /conversations/search: lastMessageDirection.</summary>
        public static readonly string[] Direction = { "inbound", "outbound" };
        /// <summary>GET /conversations/search: lastMessageType, every value of the OpenAPI's enum.</summary>
        public static readonly string[] LastMessageType =
        {
            "TYPE_CALL", "TYPE_SMS", "TYPE_RCS", "TYPE_EMAIL", "TYPE_SMS_REVIEW_REQUEST", "TYPE_WEBCHAT", "TYPE_SMS_NO_SHOW_REQUEST",
            "TYPE_CAMPAIGN_SMS", "TYPE_CAMPAIGN_CALL", "TYPE_CAMPAIGN_EMAIL", "TYPE_CAMPAIGN_VOICEMAIL", "TYPE_FACEBOOK",
            "TYPE_CAMPAIGN_FACEBOOK", "TYPE_CAMPAIGN_MANUAL_CALL", "TYPE_CAMPAIGN_MANUAL_SMS", "TYPE_GMB", "TYPE_CAMPAIGN_GMB",
            "TYPE_REVIEW", "TYPE_INSTAGRAM", "TYPE_WHATSAPP", "TYPE_CUSTOM_SMS", "TYPE_CUSTOM_EMAIL", "TYPE_CUSTOM_PROVIDER_SMS",
            "TYPE_CUSTOM_PROVIDER_EMAIL", "TYPE_IVR_CALL", "TYPE_ACTIVITY_CONTACT", "TYPE_ACTIVITY_INVOICE", "TYPE_ACTIVITY_PAYMENT",
            "TYPE_ACTIVITY_OPPORTUNITY", "TYPE_LIVE_CHAT", "TYPE_LIVE_CHAT_INFO_MESSAGE", "TYPE_ACTIVITY_APPOINTMENT",
            "TYPE_FACEBOOK_COMMENT", "TYPE_INSTAGRAM_COMMENT", "TYPE_CUSTOM_CALL", "TYPE_INTERNAL_COMMENT",
            "TYPE_ACTIVITY_EMPLOYEE_ACTION_LOG", "TYPE_TIKTOK", "TYPE_TIKTOK_COMMENT", "TYPE_ACTIVITY_WHATSAPP", "TYPE_FORM_SUBMISSION",
            "TYPE_SMS_REACTION",
        };
    }

    /// <summary>
    /// Completes a parameter from a list of values: keeps those that start with what was typed (any case; a TYPE_ value
    /// also matches without its prefix), in the list's order, quoted when PowerShell needs quotes.
    /// </summary>
    public abstract class ValueListCompleter : IArgumentCompleter
    {
        /// <summary>The values to offer, in the order to offer them.</summary>
        protected abstract IEnumerable<string> Values();

        /// <summary>The values to offer, given the parameters already on the command line (when the completer needs them).</summary>
        protected virtual IEnumerable<string> Values(IDictionary? bound) => Values();

        /// <summary>What the result's tooltip says about a value.</summary>
        protected virtual string ToolTip(string value) => value;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var typed = wordToComplete ?? "";
            char? quote = typed.Length > 0 && (typed[0] == '\'' || typed[0] == '"') ? typed[0] : (char?)null;
            var word = typed.Trim('\'', '"');
            foreach (var value in Values(fakeBoundParameters))
                if (Matches(value, word))
                    yield return new CompletionResult(Quote(value, quote), value, CompletionResultType.ParameterValue, ToolTip(value));
        }

        internal static bool Matches(string value, string word) =>
            value.StartsWith(word, StringComparison.OrdinalIgnoreCase) ||
            (value.StartsWith("TYPE_", StringComparison.Ordinal) && value.Substring(5).StartsWith(word, StringComparison.OrdinalIgnoreCase));

        /// <summary>The value as PowerShell must see it on the command line: bare when it is a plain word, else single-quoted.</summary>
        internal static string Quote(string value, char? quote)
        {
            bool needs = value.Length == 0 || value[0] == '-' || value[0] == '@' || value[0] == '#' ||
                         value.Any(c => char.IsWhiteSpace(c) || "'\"`$(){}[];,&|<>".IndexOf(c) >= 0 || c == '\u2018' || c == '\u2019' || c == '\u201C' || c == '\u201D');
            if (quote == '"' && !value.Any(c => c == '"' || c == '`' || c == '$' || c == '\u201C' || c == '\u201D')) return "\"" + value + "\"";
            if (!needs && quote == null) return value;
            return "'" + CodeGeneration.EscapeSingleQuotedStringContent(value) + "'";
        }

        /// <summary>True when the value is in the list (in its spelling).</summary>
        internal bool Contains(string value) => Values().Contains(value, StringComparer.Ordinal);

        /// <summary>Up to three values close to <paramref name="value"/>: the longest shared start, at least three characters past a TYPE_ prefix.</summary>
        internal string[] Near(string value)
        {
            var all = Values().ToList();
            int floor = value.StartsWith("TYPE_", StringComparison.Ordinal) ? 8 : 3;
            for (int n = value.Length; n >= floor; n--)
            {
                var start = value.Substring(0, n);
                var hits = all.Where(v => v.StartsWith(start, StringComparison.OrdinalIgnoreCase)).Take(3).ToArray();
                if (hits.Length > 0) return hits;
            }
            return Array.Empty<string>();
        }

        /// <summary>The value in the list's spelling when it matches one case-insensitively, else as given.</summary>
        internal string Canonical(string value)
        {
            foreach (var v in Values())
                if (string.Equals(v, value, StringComparison.OrdinalIgnoreCase)) return v;
            return value;
        }
    }

    /// <summary>
    /// -LocationId of a command that calls the API: the location of the connection the command will use (its
    /// -Connection when one is typed, else the current connection). A location token reaches its own location only, so
    /// offering the locations of the session's other connections would offer ids that are then refused (403).
    /// </summary>
    public sealed class LocationIdCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values() => Values(null);

        protected override IEnumerable<string> Values(IDictionary? bound)
        {
            var connection = bound != null && bound.Contains("Connection") ? AsConnection(bound["Connection"]) : ConnectionStore.Current;
            var location = connection?.LocationId;
            return string.IsNullOrWhiteSpace(location) ? Array.Empty<string>() : new[] { location! };
        }

        private static Connection? AsConnection(object? value) => (value is PSObject ps ? ps.BaseObject : value) as Connection;

        protected override string ToolTip(string value) => value + " (the location of the connection in use)";
    }

    /// <summary>Connect-Lc -LocationId: the current connection's location, then every location connected to in this session.</summary>
    public sealed class SessionLocationIdCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values() => SessionConnections.LocationIds();

        protected override string ToolTip(string value) =>
            string.Equals(ConnectionStore.Current?.LocationId, value, StringComparison.Ordinal) ? value + " (current connection)" : value;
    }

    /// <summary>Get-LcConversation -Status.</summary>
    public sealed class ConversationStatusCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values() => ApiValues.ConversationStatus;
    }

    /// <summary>Get-LcConversation -Sort.</summary>
    public sealed class SortCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values() => ApiValues.Sort;
    }

    /// <summary>Get-LcConversation -SortBy.</summary>
    public sealed class SortByCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values() => ApiValues.SortBy;
    }

    /// <summary>Get-LcConversation -LastMessageDirection.</summary>
    public sealed class MessageDirectionCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values() => ApiValues.Direction;
    }

    /// <summary>Get-LcConversation -LastMessageType: every TYPE_* value of the search's enum.</summary>
    public sealed class LastMessageTypeCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values() => ApiValues.LastMessageType;
    }

    /// <summary>Get-LcMessage -Type: the message types the API filters a conversation's messages by.</summary>
    public sealed class MessageTypeCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values() => MessageTypeNames.Filter;
    }

    /// <summary>Send-LcMessage -Type: the types the API sends, in its spelling.</summary>
    public sealed class SendMessageTypeCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values() => MessageTypeNames.Send;
    }

    /// <summary>
    /// Rewrites a value typed in any case to the API's spelling, taken from the completer of the same parameter, before
    /// validation: <c>-Status UNREAD</c> is sent as <c>unread</c>. With <see cref="TypePrefix"/>, a value without the
    /// TYPE_ prefix gets it (<c>sms</c> becomes <c>TYPE_SMS</c>), and a value the list does not know is upper-cased, the
    /// API's spelling of every TYPE_* name. Values that are not strings pass through (every parameter using it is a string).
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ApiSpellingAttribute : ArgumentTransformationAttribute
    {
        private readonly ValueListCompleter _values;

        public ApiSpellingAttribute(Type completer)
        {
            _values = (ValueListCompleter)Activator.CreateInstance(completer);
        }

        /// <summary>The values are TYPE_* names.</summary>
        public bool TypePrefix { get; set; }

        /// <summary>A value that is not in the list is refused at binding, with a short message, before anything is sent.</summary>
        public bool Strict { get; set; }

        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var data = inputData is PSObject pso ? pso.BaseObject : inputData;
            return data is string s ? Spell(s) : inputData;
        }

        internal string Spell(string value)
        {
            var v = value.Trim();
            if (TypePrefix)
            {
                v = v.ToUpperInvariant();
                if (v.Length > 0 && !v.StartsWith("TYPE_", StringComparison.Ordinal)) v = "TYPE_" + v;
            }
            var spelled = _values.Canonical(v);
            if (Strict && !_values.Contains(spelled))
            {
                var near = _values.Near(spelled);
                throw new ArgumentTransformationMetadataException(
                    $"'{value}' is not one of the API's values." + (near.Length > 0 ? $" Did you mean {string.Join(" or ", near)}?" : "") +
                    " Press Tab after the parameter name to see them all. Nothing was sent.");
            }
            return spelled;
        }
    }

    /// <summary>Add-LcMessage -Type: the types the API adds (ProcessMessageBodyDto.type), in its spelling.</summary>
    public sealed class AddMessageTypeCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values() => MessageImport.InboundTypes;
    }

    /// <summary>Get-LcMessage -Channel: the channels the export filters by, in the API's spelling.</summary>
    public sealed class ExportChannelCompleter : ValueListCompleter
    {
        protected override IEnumerable<string> Values() => MessageExportQuery.Channels;
    }
}
