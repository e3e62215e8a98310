using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Lenient readers for the contract's mixed encodings. A field of an unexpected type reads as
    /// missing rather than failing the whole object; only the top-level shape is enforced (by callers).
    /// </summary>
    internal static class JsonRead
    {
        /// <summary>
        /// False when a string or property name cannot be decoded (invalid UTF-8, a lone surrogate escape):
        /// JsonDocument accepts such bodies, but reading them would throw, so callers treat them as invalid responses.
        /// </summary>
        public static bool IsDecodable(JsonElement root)
        {
            return IsDecodableSlow(root);
        }

        /// <summary>
        /// True when the raw body cannot hold anything <see cref="IsDecodable"/> would refuse: valid UTF-8 throughout
        /// and no \u escape of a surrogate (\uD800 to \uDFFF). Then the walk over every string is skipped.
        /// </summary>
        public static bool SurelyDecodable(byte[] body)
        {
#if NET8_0_OR_GREATER
            if (!System.Text.Unicode.Utf8.IsValid(body)) return false;
            var span = new ReadOnlySpan<byte>(body);
            int at;
            while ((at = span.IndexOf((byte)'\\')) >= 0)
            {
                // A surrogate escape: \uD followed by 8-F.
                if (at + 3 < span.Length && span[at + 1] == (byte)'u' && (span[at + 2] | 0x20) == (byte)'d')
                {
                    var c = (byte)(span[at + 3] | 0x20);
                    if ((c >= (byte)'8' && c <= (byte)'9') || (c >= (byte)'a' && c <= (byte)'f')) return false;
                }
                // Skip the escaped character, so a "\\" before "uD800" (an escaped backslash, then text) is not mistaken.
                span = span.Slice(Math.Min(span.Length, at + 2));
            }
            return true;
#else
            return false;
#endif
        }

        private static bool IsDecodableSlow(JsonElement root)
        {
            var pending = new Stack<JsonElement>();
            pending.Push(root);
            try
            {
                while (pending.Count > 0)
                {
                    var e = pending.Pop();
                    switch (e.ValueKind)
                    {
                        case JsonValueKind.String:
                            e.GetString();
                            break;
                        case JsonValueKind.Object:
                            foreach (var p in e.EnumerateObject())
                            {
                                _ = p.Name;
                                pending.Push(p.Value);
                            }
                            break;
                        case JsonValueKind.Array:
                            foreach (var item in e.EnumerateArray()) pending.Push(item);
                            break;
                    }
                }
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        public static JsonElement? Prop(JsonElement obj, string name)
        {
            if (obj.ValueKind != JsonValueKind.Object) return null;
            if (obj.TryGetProperty(name, out var v)) return v;
            // Case differences are tolerated: some gateways re-case property names.
            foreach (var p in obj.EnumerateObject())
                if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return p.Value;
            return null;
        }

        public static string? String(JsonElement obj, string name)
        {
            var v = Prop(obj, name);
            return v == null ? null : AsString(v.Value);
        }

        public static string? AsString(JsonElement v)
        {
            switch (v.ValueKind)
            {
                case JsonValueKind.String: return v.GetString();
                case JsonValueKind.Number: return v.GetRawText();
                case JsonValueKind.True: return "true";
                case JsonValueKind.False: return "false";
                default: return null;
            }
        }

        public static int? Int(JsonElement obj, string name)
        {
            var v = Prop(obj, name);
            return v == null ? null : AsInt(v.Value);
        }

        public static int? AsInt(JsonElement v)
        {
            if (v.ValueKind == JsonValueKind.Number)
            {
                if (v.TryGetInt32(out var i)) return i;
                if (v.TryGetDouble(out var d) && d >= int.MinValue && d <= int.MaxValue && Math.Floor(d) == d) return (int)d;
                return null;
            }
            if (v.ValueKind == JsonValueKind.String &&
                int.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)) return s;
            return null;
        }

        public static long? Long(JsonElement obj, string name)
        {
            var v = Prop(obj, name);
            return v == null ? null : AsLong(v.Value);
        }

        public static long? AsLong(JsonElement v)
        {
            if (v.ValueKind == JsonValueKind.Number)
            {
                if (v.TryGetInt64(out var l)) return l;
                if (v.TryGetDouble(out var d) && !double.IsNaN(d) && d >= long.MinValue && d <= long.MaxValue) return (long)d;
                return null;
            }
            if (v.ValueKind == JsonValueKind.String &&
                long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)) return s;
            return null;
        }

        public static bool? Bool(JsonElement obj, string name)
        {
            var v = Prop(obj, name);
            return v == null ? null : AsBool(v.Value);
        }

        public static bool? AsBool(JsonElement v)
        {
            switch (v.ValueKind)
            {
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                case JsonValueKind.String:
                    var s = v.GetString();
                    if (string.Equals(s, "true", StringComparison.OrdinalIgnoreCase)) return true;
                    if (string.Equals(s, "false", StringComparison.OrdinalIgnoreCase)) return false;
                    return null;
                case JsonValueKind.Number:
                    return v.TryGetInt32(out var n) && (n == 0 || n == 1) ? n == 1 : (bool?)null;
                default: return null;
            }
        }

        /// <summary>A date in any of the contract's three encodings, as UTC.</summary>
        public static DateTimeOffset? Date(JsonElement obj, string name)
        {
            var v = Prop(obj, name);
            return v == null ? null : AsDate(v.Value);
        }

        public static DateTimeOffset? AsDate(JsonElement v)
        {
            switch (v.ValueKind)
            {
                case JsonValueKind.Number:
                    return AsLong(v) is long ms ? FromEpochMs(ms) : null;
                case JsonValueKind.String:
                    return ParseDate(v.GetString());
                default:
                    return null;
            }
        }

        public static DateTimeOffset? ParseDate(string? s)
        {
            if (string.IsNullOrWhiteSpace(s)) return null;
            s = s!.Trim();
            if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)) return FromEpochMs(ms);
            if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d))
                return d.ToUniversalTime();
            return null;
        }

        internal static DateTimeOffset? FromEpochMs(long ms)
        {
            // Outside DateTimeOffset's range is nonsense from the wire; treat as missing.
            const long min = -62135596800000L, max = 253402300799999L;
            if (ms < min || ms > max) return null;
            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        public static string[]? StringArray(JsonElement obj, string name)
        {
            var v = Prop(obj, name);
            if (v == null) return null;
            if (v.Value.ValueKind == JsonValueKind.String) return new[] { v.Value.GetString()! };
            if (v.Value.ValueKind != JsonValueKind.Array) return null;
            var list = new List<string>();
            foreach (var e in v.Value.EnumerateArray())
                if (e.ValueKind == JsonValueKind.String) list.Add(e.GetString()!);
                else if (e.ValueKind == JsonValueKind.Number) list.Add(e.GetRawText());
            return list.ToArray();
        }

        /// <summary>
        /// Reads an object's fields in one pass over its properties, through a static name→setter map (ordinal, ignoring
        /// case), instead of one lookup (and, on a miss, a case-insensitive scan) per field. The outcome is the same as
        /// <see cref="Prop"/> per field: a property spelt exactly wins (the last of duplicates, as TryGetProperty), else
        /// the first one that differs only in case.
        /// </summary>
        public static void ReadFields<T>(JsonElement obj, T target, ElementFieldMap<T> map)
        {
            ulong exact = 0, any = 0;
            int next = 0;
            foreach (var p in obj.EnumerateObject())
            {
                // Fast path: bodies list the fields in the same order every time, so the field after the last one
                // matched is compared first, as UTF-8 bytes, without building the name string.
                ElementFieldMap<T>.Field field;
                bool spelt;
                if (next < map.Count && p.NameEquals(map.Utf8Name(next)))
                {
                    field = map[next];
                    spelt = true;
                }
                else
                {
                    var name = p.Name;
                    if (!map.TryGet(name, out field)) continue;
                    spelt = string.Equals(name, field.Name, StringComparison.Ordinal);
                }
                next = field.Index + 1;
                ulong bit = 1UL << field.Index;
                if (spelt)
                {
                    exact |= bit;
                    any |= bit;
                    field.Set(target, p.Value);
                }
                else if ((any & bit) == 0)
                {
                    any |= bit;
                    field.Set(target, p.Value);
                }
            }
        }

        /// <summary>The body of a create/get/update: the object itself, or wrapped in { success, <paramref name="wrapper"/> }.</summary>
        public static JsonElement? Unwrap(JsonElement root, string wrapper)
        {
            if (root.ValueKind != JsonValueKind.Object) return null;
            var inner = Prop(root, wrapper);
            if (inner != null && inner.Value.ValueKind == JsonValueKind.Object) return inner.Value;
            return root;
        }
    }

    /// <summary>The fields of a model for <see cref="JsonRead.ReadFields"/>: at most 64, each a contract name and a setter.</summary>
    internal sealed class ElementFieldMap<T>
    {
        internal readonly struct Field
        {
            public Field(int index, string name, Action<T, JsonElement> set)
            {
                Index = index;
                Name = name;
                Set = set;
            }

            public int Index { get; }
            public string Name { get; }
            public Action<T, JsonElement> Set { get; }
        }

        private readonly Dictionary<string, Field> _fields = new Dictionary<string, Field>(StringComparer.OrdinalIgnoreCase);
        private readonly List<Field> _ordered = new List<Field>();
        private readonly List<byte[]> _utf8 = new List<byte[]>();

        /// <summary>Adds a field. Add them in the order the API usually sends them: that order is the fast path.</summary>
        public ElementFieldMap<T> Add(string name, Action<T, JsonElement> set)
        {
            if (_fields.Count >= 64) throw new InvalidOperationException("A FieldMap holds at most 64 fields.");
            var field = new Field(_fields.Count, name, set);
            _fields.Add(name, field);
            _ordered.Add(field);
            _utf8.Add(System.Text.Encoding.UTF8.GetBytes(name));
            return this;
        }

        public int Count => _ordered.Count;
        public Field this[int index] => _ordered[index];
        public byte[] Utf8Name(int index) => _utf8[index];

        public bool TryGet(string name, out Field field) => _fields.TryGetValue(name, out field);
    }
}
