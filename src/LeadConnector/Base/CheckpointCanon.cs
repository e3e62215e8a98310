using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Text;

namespace LeadConnector.Commands
{
    /// <summary>
    /// The canonical text of parameters and input objects, for a checkpoint's fingerprints: the same input gives the same
    /// text in every run (culture-free, keys sorted), other input other text. Secrets are never part of it.
    /// </summary>
    internal static class CheckpointCanon
    {
        private const int MaxDepth = 3;

        /// <summary>Bound parameters, sorted by name, but those in <paramref name="leaveOut"/>.</summary>
        public static string Parameters(IDictionary<string, object?> bound, ISet<string> leaveOut)
        {
            var sb = new StringBuilder();
            foreach (var name in bound.Keys.Where(k => !leaveOut.Contains(k)).OrderBy(k => k, StringComparer.OrdinalIgnoreCase))
            {
                sb.Append(name.ToLowerInvariant()).Append('=');
                Append(sb, bound[name], 0);
                sb.Append('\n');
            }
            return sb.ToString();
        }

        public static string Text(object? value)
        {
            var sb = new StringBuilder();
            Append(sb, value, 0);
            return sb.ToString();
        }

        private static void Append(StringBuilder sb, object? value, int depth)
        {
            if (value is PSObject pso)
            {
                if (pso.BaseObject is PSCustomObject)
                {
                    sb.Append('{');
                    foreach (var p in pso.Properties.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase))
                    {
                        sb.Append(p.Name).Append(':');
                        object? v;
                        try { v = p.Value; } catch (GetValueException) { v = null; }
                        if (depth < MaxDepth) Append(sb, v, depth + 1);
                        sb.Append(';');
                    }
                    sb.Append('}');
                    return;
                }
                value = pso.BaseObject;
            }
            switch (value)
            {
                case null:
                    sb.Append("<null>");
                    return;
                case string s:
                    sb.Append('"').Append(s.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"');
                    return;
                case SecureString _:
                    sb.Append("<secure>"); // never hashed: the same job may be given a renewed secret
                    return;
                case SwitchParameter sw:
                    sb.Append(sw.IsPresent ? "$true" : "$false");
                    return;
                case bool b:
                    sb.Append(b ? "$true" : "$false");
                    return;
                case DateTime dt:
                    sb.Append(dt.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture));
                    return;
                case DateTimeOffset dto:
                    sb.Append(dto.UtcDateTime.ToString("o", CultureInfo.InvariantCulture));
                    return;
                case IFormattable f when value.GetType().IsPrimitive || value is decimal || value is Enum || value is Guid || value is TimeSpan:
                    sb.Append(f.ToString(null, CultureInfo.InvariantCulture));
                    return;
                case IDictionary d:
                    sb.Append('@');
                    sb.Append('{');
                    var keys = new List<(string Key, object? Value)>();
                    foreach (DictionaryEntry e in d) keys.Add((Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "", e.Value));
                    foreach (var (k, v) in keys.OrderBy(x => x.Key, StringComparer.Ordinal))
                    {
                        sb.Append(k).Append('=');
                        if (depth < MaxDepth) Append(sb, v, depth + 1);
                        sb.Append(';');
                    }
                    sb.Append('}');
                    return;
                case IEnumerable list:
                    sb.Append('[');
                    foreach (var item in list)
                    {
                        if (depth < MaxDepth) Append(sb, item, depth + 1);
                        sb.Append(',');
                    }
                    sb.Append(']');
                    return;
                default:
                    // An object of the module (a contact, a conversation piped in) is its id: the job itself may change its
                    // other properties (dateUpdated, tags) before the next run reads it again. Anything else: its text.
                    var id = value.GetType().GetProperty("Id")?.GetValue(value);
                    sb.Append(value.GetType().Name).Append('#').Append(Convert.ToString(id ?? value, CultureInfo.InvariantCulture));
                    return;
            }
        }
    }
}
