using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Lenient readers for the contract's mixed encodings over a parsed JsonElement (error bodies, token answers). A
    /// field of an unexpected type reads as missing rather than failing the whole object; only the top-level shape is
    /// enforced (by callers). The models read from the raw bytes instead, with <see cref="JsonSource"/> and
    /// <see cref="FieldMap{T}"/>, under the same rules.
    /// </summary>
    internal static class JsonRead
    {
        /// <summary>
        /// True when the raw body cannot hold anything <see cref="IsDecodable"/> would refuse: valid UTF-8 throughout
        /// and no \u escape of a surrogate (\uD800 to \uDFFF). Then the walk over every string is skipped.
        /// </summary>
        public static bool SurelyDecodable(byte[] body)
        {
#if NET8_0_OR_GREATER
            if (!System.Text.Unicode.Utf8.IsValid(body)) return false;
#else
            // Windows PowerShell: no Utf8.IsValid, but a strict decoder says the same (overlongs, encoded surrogates and
            // code points past U+10FFFF are all invalid), far cheaper than a JsonDocument and a walk over every string.
            try { StrictUtf8.GetCharCount(body); }
            catch (System.Text.DecoderFallbackException) { return false; }
#endif
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
        }

#if !NET8_0_OR_GREATER
        private static readonly System.Text.UTF8Encoding StrictUtf8 = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true);
#endif

        /// <summary>
        /// False when a string or property name cannot be decoded (invalid UTF-8, a lone surrogate escape):
        /// JsonDocument accepts such bodies, but reading them would throw, so callers treat them as invalid responses.
        /// The slow walk over every string, for bodies <see cref="SurelyDecodable"/> could not clear.
        /// </summary>
        public static bool IsDecodable(JsonElement root)
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
                return v.TryGetDouble(out var d) ? LongOf(d) : null;
            }
            return v.ValueKind == JsonValueKind.String ? LongOf(v.GetString()) : null;
        }

        /// <summary>A number that is not an Int64 as written (1e3, 2.5): truncated when in range.</summary>
        internal static long? LongOf(double d) => !double.IsNaN(d) && d >= long.MinValue && d <= long.MaxValue ? (long)d : (long?)null;

        /// <summary>A number sent as a string: an integer only.</summary>
        internal static long? LongOf(string? s) =>
            long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : (long?)null;

        /// <summary>"true"/"false" in any case.</summary>
        internal static bool? BoolOf(string? s) =>
            string.Equals(s, "true", StringComparison.OrdinalIgnoreCase) ? true
            : string.Equals(s, "false", StringComparison.OrdinalIgnoreCase) ? false
            : (bool?)null;

        /// <summary>0 or 1.</summary>
        internal static bool? BoolOf(int n) => n == 0 || n == 1 ? n == 1 : (bool?)null;

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
    }
}
