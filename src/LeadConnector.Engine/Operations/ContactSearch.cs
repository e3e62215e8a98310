using System;
using System.Collections;
using System.Text.Json;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>
    /// The filters and sort of POST /contacts/search (the advanced search): a filter is { field, operator, value } or a
    /// group { group: AND|OR, filters: [...] }; a sort is { field, direction: asc|desc }. Checked before anything is sent.
    /// </summary>
    internal static class ContactSearch
    {
        internal static readonly string[] Operators = { "eq", "not_eq", "contains", "not_contains", "exists", "not_exists", "range" };
        private static readonly string[] RangeBounds = { "gte", "lte", "gt", "lt" };
        private const int MaxDepth = 4;

        public static void CheckFilters(IList filters, string what, int depth)
        {
            if (depth > MaxDepth) throw LcException.InvalidInput($"{what} nests groups more than {MaxDepth} levels deep.");
            for (int i = 0; i < filters.Count; i++)
            {
                var at = $"{what}[{i}]";
                if (!(filters[i] is IDictionary f)) throw LcException.InvalidInput($"{at} is not a hashtable: give @{{ field = ...; operator = ...; value = ... }} or @{{ group = 'OR'; filters = @(...) }}.");
                var group = Get(f, "group");
                if (group != null)
                {
                    Only(f, at, "group", "filters");
                    var g = group as string;
                    if (!string.Equals(g, "AND", StringComparison.OrdinalIgnoreCase) && !string.Equals(g, "OR", StringComparison.OrdinalIgnoreCase))
                        throw LcException.InvalidInput($"{at}.group is '{group}'; it must be AND or OR.");
                    if (!(Get(f, "filters") is IList inner) || inner.Count == 0)
                        throw LcException.InvalidInput($"{at} is a group without filters: give filters = @( ... ).");
                    CheckFilters(inner, at + ".filters", depth + 1);
                    continue;
                }
                Only(f, at, "field", "operator", "value");
                if (!(Get(f, "field") is string field) || field.Length == 0) throw LcException.InvalidInput($"{at} has no field.");
                var op = Get(f, "operator") as string;
                if (Array.IndexOf(Operators, op) < 0)
                    throw LcException.InvalidInput($"{at} has the operator '{op}'; the operators are {string.Join(", ", Operators)}.");
                var value = Get(f, "value");
                if (op == "exists" || op == "not_exists")
                {
                    if (value != null) throw LcException.InvalidInput($"{at}: the operator {op} takes no value.");
                }
                else if (op == "range")
                {
                    if (!(value is IDictionary range) || range.Count == 0) throw LcException.InvalidInput($"{at}: the operator range takes a value @{{ gte = ...; lte = ... }}.");
                    foreach (DictionaryEntry e in range)
                        if (Array.IndexOf(RangeBounds, (e.Key as string)?.ToLowerInvariant()) < 0)
                            throw LcException.InvalidInput($"{at}: a range has the bound '{e.Key}'; the bounds are {string.Join(", ", RangeBounds)}.");
                }
                else if (value == null || value is string s && s.Length == 0)
                    throw LcException.InvalidInput($"{at}: the operator {op} needs a value.");
            }
        }

        public static void CheckSort(IList sort)
        {
            for (int i = 0; i < sort.Count; i++)
            {
                var at = $"-Sort[{i}]";
                if (!(sort[i] is IDictionary s)) throw LcException.InvalidInput($"{at} is not a hashtable: give @{{ field = 'dateAdded'; direction = 'desc' }}.");
                Only(s, at, "field", "direction");
                if (!(Get(s, "field") is string field) || field.Length == 0) throw LcException.InvalidInput($"{at} has no field.");
                var d = Get(s, "direction") as string;
                if (d != "asc" && d != "desc") throw LcException.InvalidInput($"{at}.direction is '{d}'; it must be asc or desc.");
            }
        }

        /// <summary>Writes a checked list: member names in the API's spelling (lower case), values as given (dates as ISO text).</summary>
        public static void Write(Utf8JsonWriter w, IList items, string path)
        {
            w.WriteStartArray();
            for (int i = 0; i < items.Count; i++)
            {
                var item = (IDictionary)items[i]!;
                w.WriteStartObject();
                foreach (DictionaryEntry e in item)
                {
                    var key = ((string)e.Key).ToLowerInvariant();
                    w.WritePropertyName(key);
                    if (key == "filters") Write(w, (IList)e.Value!, $"{path}[{i}].filters");
                    else if (key == "group") w.WriteStringValue(((string)e.Value!).ToUpperInvariant());
                    else if (key == "value" && e.Value is IDictionary range)
                    {
                        w.WriteStartObject();
                        foreach (DictionaryEntry b in range)
                        {
                            var bound = ((string)b.Key).ToLowerInvariant();
                            w.WritePropertyName(bound);
                            JsonBody.Value(w, b.Value, $"{path}[{i}].value.{bound}");
                        }
                        w.WriteEndObject();
                    }
                    else JsonBody.Value(w, e.Value, $"{path}[{i}].{key}");
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }

        private static object? Get(IDictionary d, string name)
        {
            foreach (DictionaryEntry e in d)
                if (string.Equals(e.Key as string, name, StringComparison.OrdinalIgnoreCase)) return e.Value;
            return null;
        }

        private static void Only(IDictionary d, string at, params string[] names)
        {
            foreach (DictionaryEntry e in d)
                if (Array.FindIndex(names, n => string.Equals(n, e.Key as string, StringComparison.OrdinalIgnoreCase)) < 0)
                    throw LcException.InvalidInput($"{at} has the member '{e.Key}'; it takes {string.Join(", ", names)}.");
        }
    }
}
