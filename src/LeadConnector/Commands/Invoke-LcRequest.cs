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
    public sealed class InvokeLcRequestCommand : LcBulkCmdlet
    {
        /// <summary>-CheckpointPath: GET, PUT and DELETE are sent again after a lost answer; a POST or PATCH is reported (CheckpointUncertain).</summary>
        internal override bool CheckpointRepeatable => !(string.Equals(Method, "POST", System.StringComparison.OrdinalIgnoreCase) || string.Equals(Method, "PATCH", System.StringComparison.OrdinalIgnoreCase));

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

        protected override void Process()
        {
            // The engine checks the request once (Prepare), and SendAsync sends what it checked: a refused path is
            // InvalidPath, a refused -Query or -Body InvalidRequest, both for this record only.
            var ops = new RawOperations(Session);
            if (!TryPrepare(() => ops.Prepare(Method, Path), Path, out var path, "InvalidPath")) return;
            if (!TryPrepare(() => path.With(QueryPairs(Query), PlainValues.ToPlain(Body, "-Body")), Path, out var request, "InvalidRequest")) return;
            if (request.Method != "GET" && !ShouldProcess(Path, $"{request.Method} request")) return;
            Start(call => ops.SendAsync(request, call), Path, response =>
            {
                if (response.Text == null) return;
                if (Raw.IsPresent) WriteObject(response.Text);
                else WriteObject(ToPSObject(response.Value), enumerateCollection: true);
            }, method: request.Method);
        }

        /// <summary>
        /// -Query: values as <see cref="PlainValues.ToPlain"/> makes them; arrays repeat the name, booleans are true/false,
        /// dates ISO-8601 UTC (no kind is local time), null values are left out.
        /// </summary>
        private static List<KeyValuePair<string, string>>? QueryPairs(Hashtable? query)
        {
            if (query == null) return null;
            var pairs = new List<KeyValuePair<string, string>>();
            foreach (DictionaryEntry e in query)
            {
                var name = PlainValues.Key(e.Key);
                if (name.Length == 0) throw LcException.InvalidInput("A -Query name is empty.");
                var value = PlainValues.ToPlain(e.Value, "-Query");
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
                case DateTimeOffset dto: return Dates.Iso(dto);
                case IFormattable f: return f.ToString(null, CultureInfo.InvariantCulture);
                default: return value.ToString() ?? "";
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
