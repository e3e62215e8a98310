using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LeadConnector.Engine
{
    /// <summary>
    /// A response body and one <see cref="Utf8JsonReader"/> over it: the models read straight from the UTF-8 bytes, in
    /// one pass, without a JsonDocument. Passed by ref, so every reader moves the same position. The value readers are
    /// lenient like the contract's encodings: each reads the value at the current token, leaves the reader on that
    /// value's last token (a container is skipped whole), and gives null for a value of an unexpected type.
    /// </summary>
    internal ref struct JsonSource
    {
        public Utf8JsonReader Reader;
        public readonly byte[] Body;

        public JsonSource(byte[] body)
        {
            Body = body;
            // The depth the client parses JsonDocuments with (LcClient.ParseBody); comments and trailing commas are refused.
            Reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        }

        public JsonTokenType Token => Reader.TokenType;

        /// <summary>
        /// Moves to the top-level value. True on an object's StartObject; false for a blank body, or (having read it to
        /// the end, so a syntax error anywhere still throws) for any other value.
        /// </summary>
        public bool StartObjectBody()
        {
            if (IsBlank(Body)) return false;
            Reader.Read();
            if (Reader.TokenType == JsonTokenType.StartObject) return true;
            Reader.Skip();
            End();
            return false;
        }

        /// <summary>After the top-level value: only whitespace may follow (the reader throws on anything else).</summary>
        public void End()
        {
            if (Reader.Read()) throw new JsonException("The body holds more than one JSON value.");
        }

        /// <summary>Skips the current value (a container whole; a scalar stays where it is).</summary>
        public void Skip() => Reader.Skip();

        public string? String()
        {
            switch (Reader.TokenType)
            {
                case JsonTokenType.String: return Reader.GetString();
                case JsonTokenType.Number: return NumberText();
                case JsonTokenType.True: return "true";
                case JsonTokenType.False: return "false";
                default: Reader.Skip(); return null;
            }
        }

        public int? Int()
        {
            switch (Reader.TokenType)
            {
                case JsonTokenType.Number:
                    if (Reader.TryGetInt32(out var i)) return i;
                    if (Reader.TryGetDouble(out var d) && d >= int.MinValue && d <= int.MaxValue && Math.Floor(d) == d) return (int)d;
                    return null;
                case JsonTokenType.String:
                    return int.TryParse(Reader.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : (int?)null;
                default: Reader.Skip(); return null;
            }
        }

        public long? Long()
        {
            switch (Reader.TokenType)
            {
                case JsonTokenType.Number:
                    if (Reader.TryGetInt64(out var l)) return l;
                    return Reader.TryGetDouble(out var d) ? LongOf(d) : null;
                case JsonTokenType.String:
                    return LongOf(Reader.GetString());
                default: Reader.Skip(); return null;
            }
        }

        /// <summary>true/false, "true"/"false" in any case, 0/1.</summary>
        public bool? Bool()
        {
            switch (Reader.TokenType)
            {
                case JsonTokenType.True: return true;
                case JsonTokenType.False: return false;
                case JsonTokenType.String: return BoolOf(Reader.GetString());
                case JsonTokenType.Number: return Reader.TryGetInt32(out var n) ? BoolOf(n) : null;
                default: Reader.Skip(); return null;
            }
        }

        /// <summary>A date in any of the contract's three encodings (epoch ms as a number or a string, ISO text), as UTC.</summary>
        public DateTimeOffset? Date()
        {
            switch (Reader.TokenType)
            {
                case JsonTokenType.Number: return Long() is long ms ? FromEpochMs(ms) : null;
                case JsonTokenType.String: return ParseDate(Reader.GetString());
                default: Reader.Skip(); return null;
            }
        }

        /// <summary>A list of strings: an array (strings, and numbers as their text; anything else left out) or one string.</summary>
        public string[]? Strings()
        {
            switch (Reader.TokenType)
            {
                case JsonTokenType.String: return new[] { Reader.GetString()! };
                case JsonTokenType.StartArray:
                    List<string>? list = null;
                    while (Reader.Read() && Reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (Reader.TokenType == JsonTokenType.String) (list ??= new List<string>()).Add(Reader.GetString()!);
                        else if (Reader.TokenType == JsonTokenType.Number) (list ??= new List<string>()).Add(NumberText());
                        else Reader.Skip();
                    }
                    return list == null ? Array.Empty<string>() : list.ToArray();
                default: Reader.Skip(); return null;
            }
        }

        /// <summary>
        /// The JSON text of the current value when it is a container of <paramref name="kind"/> (StartArray or StartObject),
        /// exactly as the body holds it; else null (the value skipped). <paramref name="nonEmpty"/> refuses an empty one.
        /// </summary>
        public string? RawContainer(JsonTokenType kind, bool nonEmpty = false)
        {
            if (Reader.TokenType != kind)
            {
                Reader.Skip();
                return null;
            }
            var start = Reader.TokenStartIndex;
            if (nonEmpty)
            {
                var peek = Reader;
                peek.Read();
                if (peek.TokenType == JsonTokenType.EndArray || peek.TokenType == JsonTokenType.EndObject)
                {
                    Reader.Skip();
                    return null;
                }
            }
            Reader.Skip();
            return TextSince(start);
        }

        /// <summary>The JSON text of the current value exactly as the body holds it (a container whole).</summary>
        public string RawValue()
        {
            var start = Reader.TokenStartIndex;
            if (Reader.TokenType == JsonTokenType.StartObject || Reader.TokenType == JsonTokenType.StartArray)
            {
                Reader.Skip();
                return TextSince(start);
            }
            // A string's value span leaves out its quotes; a number's or a literal's is the whole token.
            return Text(start, start + Reader.ValueSpan.Length + (Reader.TokenType == JsonTokenType.String ? 2 : 0));
        }

        /// <summary>The body's text from <paramref name="start"/> through the current token, a container's end.</summary>
        public string TextSince(long start) => Text(start, Reader.TokenStartIndex + 1);

        /// <summary>Reads the current value as a list of objects when it is an array (other items left out); else null.</summary>
        public List<T>? Objects<T>(FieldMap<T> map) where T : class
        {
            if (Reader.TokenType != JsonTokenType.StartArray)
            {
                Reader.Skip();
                return null;
            }
            var items = new List<T>();
            while (Reader.Read() && Reader.TokenType != JsonTokenType.EndArray)
            {
                if (Reader.TokenType == JsonTokenType.StartObject) items.Add(map.ReadNew(ref this));
                else Reader.Skip();
            }
            return items;
        }

        /// <summary>A number's text as the body spells it (what JsonElement.GetRawText gave).</summary>
        private string NumberText()
        {
            if (Reader.HasValueSequence) return Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(Reader.ValueSequence));
            var start = Reader.TokenStartIndex;
            return Text(start, start + Reader.ValueSpan.Length);
        }

        private string Text(long start, long end) => Encoding.UTF8.GetString(Body, checked((int)start), checked((int)(end - start)));

        /// <summary>A number that is not an Int64 as written (1e3, 2.5): truncated when in range.</summary>
        private static long? LongOf(double d) => !double.IsNaN(d) && d >= long.MinValue && d <= long.MaxValue ? (long)d : (long?)null;

        /// <summary>A number sent as a string: an integer only.</summary>
        private static long? LongOf(string? s) =>
            long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : (long?)null;

        /// <summary>"true"/"false" in any case.</summary>
        private static bool? BoolOf(string? s) =>
            string.Equals(s, "true", StringComparison.OrdinalIgnoreCase) ? true
            : string.Equals(s, "false", StringComparison.OrdinalIgnoreCase) ? false
            : (bool?)null;

        /// <summary>0 or 1.</summary>
        private static bool? BoolOf(int n) => n == 0 || n == 1 ? n == 1 : (bool?)null;

        /// <summary>Epoch milliseconds as a string, or ISO text; null when it is neither.</summary>
        private static DateTimeOffset? ParseDate(string? s)
        {
            if (string.IsNullOrWhiteSpace(s)) return null;
            s = s!.Trim();
            if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)) return FromEpochMs(ms);
            if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d))
                return d.ToUniversalTime();
            return null;
        }

        private static DateTimeOffset? FromEpochMs(long ms)
        {
            // Outside DateTimeOffset's range is nonsense from the wire; treat as missing.
            const long min = -62135596800000L, max = 253402300799999L;
            if (ms < min || ms > max) return null;
            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        /// <summary>Empty, or only JSON whitespace: read as no value at all (the shape checks refuse it).</summary>
        public static bool IsBlank(byte[] body)
        {
            foreach (var b in body)
                if (b != ' ' && b != '\r' && b != '\n' && b != '\t') return false;
            return true;
        }
    }
}
