using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// User values (hashtables, [ordered] dictionaries, [pscustomobject]s, arrays) as plain values the engine writes as
    /// JSON: the one conversion for Invoke-LcRequest -Body and -Query and Set-LcConversation -Feedback.
    /// </summary>
    internal static class PlainValues
    {
        /// <summary>How deep a value may nest; the same limit as the engine's JSON writer.</summary>
        internal const int MaxDepth = 32;

        /// <summary>
        /// A plain copy of <paramref name="value"/>: PSObject wrappers are gone; a [pscustomobject] (its note properties)
        /// and any dictionary other than a Hashtable become an OrderedDictionary with string keys, in their order; a
        /// Hashtable stays a Hashtable (same comparer and order); other lists become List&lt;object&gt;; a DateTime becomes
        /// the DateTimeOffset it means (<see cref="Dates.AsUtc"/>: no kind is local time). Refuses values nested deeper
        /// than <see cref="MaxDepth"/>, naming <paramref name="parameter"/> (such as "-Body").
        /// </summary>
        public static object? ToPlain(object? value, string parameter) => Copy(value, parameter, 0);

        private static object? Copy(object? value, string parameter, int depth)
        {
            if (depth > MaxDepth) throw LcException.InvalidInput($"{parameter} is nested more than {MaxDepth} levels deep.");
            if (value is PSObject pso)
            {
                if (pso.BaseObject is PSCustomObject)
                {
                    var o = new OrderedDictionary();
                    foreach (var p in pso.Properties)
                        if (p.MemberType == PSMemberTypes.NoteProperty) o[p.Name] = Copy(p.Value, parameter, depth + 1);
                    return o;
                }
                value = pso.BaseObject;
            }
            switch (value)
            {
                case null: return null;
                case string s: return s;
                case DateTime dt: return Dates.AsUtc(dt);
                case Hashtable h:
                    var table = (Hashtable)h.Clone(); // keeps the comparer (PowerShell's are case-insensitive) and the order
                    foreach (DictionaryEntry e in h) table[e.Key] = Copy(e.Value, parameter, depth + 1);
                    return table;
                case IDictionary dict:
                    var copy = new OrderedDictionary();
                    foreach (DictionaryEntry e in dict) copy[Key(e.Key)] = Copy(e.Value, parameter, depth + 1);
                    return copy;
                case IEnumerable list:
                    var items = new List<object?>();
                    foreach (var item in list) items.Add(Copy(item, parameter, depth + 1));
                    return items;
                default: return value;
            }
        }

        /// <summary>A dictionary key as the name it has in JSON (and in a query).</summary>
        public static string Key(object? key) =>
            Convert.ToString(key is PSObject p ? p.BaseObject : key, CultureInfo.InvariantCulture) ?? "";
    }
}
