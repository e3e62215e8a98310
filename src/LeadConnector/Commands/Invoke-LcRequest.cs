using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Invoke-LcRequest: a raw call to an endpoint the module does not wrap, through the same client (auth, pacing,
    /// retries, error mapping). Answers come back as PSCustomObjects, or as JSON text with -Raw.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "LcRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PSObject), typeof(string))]
    public sealed class InvokeLcRequestCommand : LcCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateSet("GET", "POST", "PUT", "PATCH", "DELETE", IgnoreCase = true)]
        public string Method { get; set; } = "GET";

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        [Parameter]
        public Hashtable? Query { get; set; }

        [Parameter]
        public object? Body { get; set; }

        [Parameter]
        public SwitchParameter Raw { get; set; }

        [Parameter]
        public Connection? Connection { get; set; }

        protected override void Process()
        {
            var ops = new RawOperations(RequireConnection(Connection));
            var method = Method.ToUpperInvariant();
            List<KeyValuePair<string, string>>? query = null;
            object? body = null;
            try
            {
                ops.CheckPath(Path);
            }
            catch (LcException ex)
            {
                WriteError(new ErrorRecord(ex, "InvalidPath", ErrorCategory.InvalidArgument, Path));
                return;
            }
            try
            {
                query = QueryPairs(Query);
                body = ToPlain(Body, 0);
                RawOperations.BodyJson(body);
                if (body != null && method == "GET") throw LcException.InvalidInput("A GET request has no body; pass -Query instead.");
            }
            catch (LcException ex)
            {
                WriteError(new ErrorRecord(ex, "InvalidRequest", ErrorCategory.InvalidArgument, Path));
                return;
            }
            if (method != "GET" && !ShouldProcess(Path, $"{method} request")) return;
            if (!TryAwait(call => ops.SendAsync(method, Path, query, body, call), Path, out var response)) return;
            if (response.Text == null) return;
            if (Raw.IsPresent) WriteObject(response.Text);
            else WriteObject(ToPSObject(response.Value), enumerateCollection: true);
        }

        /// <summary>-Query: arrays repeat the name, booleans are true/false, dates ISO-8601 UTC, null values are left out.</summary>
        private static List<KeyValuePair<string, string>>? QueryPairs(Hashtable? query)
        {
            if (query == null) return null;
            var pairs = new List<KeyValuePair<string, string>>();
            foreach (DictionaryEntry e in query)
            {
                var name = Convert.ToString(PlainValues.Unwrap(e.Key), CultureInfo.InvariantCulture) ?? "";
                if (name.Length == 0) throw LcException.InvalidInput("A -Query name is empty.");
                var value = PlainValues.Unwrap(e.Value);
                if (value is IEnumerable list && !(value is string))
                {
                    foreach (var item in list)
                        if (item != null) pairs.Add(new KeyValuePair<string, string>(name, QueryText(item)));
                }
                else if (value != null) pairs.Add(new KeyValuePair<string, string>(name, QueryText(value)));
            }
            return pairs;
        }

        private static string QueryText(object value)
        {
            switch (value)
            {
                case bool b: return b ? "true" : "false";
                case DateTime dt: return GetLcConversationCommand.AsUtc(dt)!.Value.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                case DateTimeOffset dto: return dto.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                case IFormattable f: return f.ToString(null, CultureInfo.InvariantCulture);
                default: return value.ToString() ?? "";
            }
        }

        /// <summary>User values to plain ones the engine writes as JSON: PSCustomObjects and dictionaries keep their order.</summary>
        private static object? ToPlain(object? value, int depth)
        {
            if (depth > 32) throw LcException.InvalidInput("-Body is nested more than 32 levels deep.");
            if (value is PSObject pso)
            {
                if (pso.BaseObject is PSCustomObject)
                {
                    var o = new OrderedDictionary();
                    foreach (var p in pso.Properties)
                        if (p.MemberType == PSMemberTypes.NoteProperty) o[p.Name] = ToPlain(p.Value, depth + 1);
                    return o;
                }
                value = pso.BaseObject;
            }
            switch (value)
            {
                case null: return null;
                case string s: return s;
                case IDictionary dict:
                    var copy = new OrderedDictionary();
                    foreach (DictionaryEntry e in dict)
                        copy[Convert.ToString(PlainValues.Unwrap(e.Key), CultureInfo.InvariantCulture) ?? ""] = ToPlain(e.Value, depth + 1);
                    return copy;
                case IEnumerable list:
                    var items = new List<object?>();
                    foreach (var item in list) items.Add(ToPlain(item, depth + 1));
                    return items;
                default: return value;
            }
        }

        /// <summary>The engine's plain JSON values as PowerShell objects: objects become PSCustomObjects.</summary>
        private static object? ToPSObject(object? value)
        {
            switch (value)
            {
                case OrderedDictionary o:
                    var ps = new PSObject();
                    foreach (DictionaryEntry e in o) ps.Properties.Add(new PSNoteProperty((string)e.Key, ToPSObject(e.Value)));
                    return ps;
                case object[] array:
                    var result = new object?[array.Length];
                    for (int i = 0; i < array.Length; i++) result[i] = ToPSObject(array[i]);
                    return result;
                default: return value;
            }
        }
    }
}
