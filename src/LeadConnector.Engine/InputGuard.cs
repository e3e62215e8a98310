using System;
using System.Collections.Generic;
using System.Text;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Refuses input that could change a request's shape before anything is sent:
    /// ids become path segments, so only a conservative alphabet is allowed.
    /// </summary>
    internal static class InputGuard
    {
        internal const int MaxIdLength = 128;

        /// <summary>Marks (in <see cref="Exception.Data"/>) an InvalidInput error that refused an id, so a host can name it apart.</summary>
        private const string RefusedIdKey = "LeadConnector.RefusedId";

        /// <summary>True when <paramref name="ex"/> is <see cref="Id"/> refusing an id (not another value or setting).</summary>
        public static bool RefusedId(LcException ex) => ex.Kind == LcErrorKind.InvalidInput && ex.Data.Contains(RefusedIdKey);

        /// <summary>Returns the id when it is safe as a path segment; throws InvalidInput (<see cref="RefusedId"/>) otherwise.</summary>
        public static string Id(string? value, string what)
        {
            if (value == null || value.Length == 0)
                throw BadId($"The {what} is empty.");
            if (value.Length > MaxIdLength)
                throw BadId($"The {what} is {value.Length} characters long; ids are at most {MaxIdLength}.");
            foreach (var c in value)
            {
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok)
                    throw BadId($"The {what} '{Printable(value)}' contains {Describe(c)}. Ids hold only letters, digits, '-' and '_'; nothing was sent.");
            }
            return value;
        }

        private static LcException BadId(string message)
        {
            var ex = LcException.InvalidInput(message);
            ex.Data[RefusedIdKey] = true;
            return ex;
        }

        /// <summary>A header value must be printable ASCII with no line breaks.</summary>
        public static string HeaderValue(string value, string what)
        {
            foreach (var c in value)
                if (c < ' ' || c > '~')
                    throw LcException.InvalidInput($"The {what} contains {Describe(c)}; it must be printable ASCII.");
            return value;
        }

        /// <summary>Query values are escaped, never refused, except for control characters no API value holds.</summary>
        public static string QueryValue(string value, string name)
        {
            foreach (var c in value)
                if (char.IsControl(c))
                    throw LcException.InvalidInput($"The value for '{name}' contains {Describe(c)}; nothing was sent.");
            return value;
        }

        private static string Describe(char c)
        {
            if (c == '/' || c == '\\') return $"a path separator '{c}'";
            if (c == '.') return "a '.'";
            if (c == '?' || c == '#' || c == '&' || c == '%' || c == '=') return $"the URL character '{c}'";
            if (char.IsWhiteSpace(c)) return $"white space (U+{(int)c:X4})";
            if (char.IsControl(c)) return $"a control character (U+{(int)c:X4})";
            if (c > '~') return $"the non-ASCII character U+{(int)c:X4}";
            return $"the character '{c}'";
        }

        /// <summary>Shows a refused value without letting control characters reach a terminal.</summary>
        internal static string Printable(string value)
        {
            var sb = new StringBuilder();
            foreach (var c in value.Length > 64 ? value.Substring(0, 64) : value)
                sb.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
            if (value.Length > 64) sb.Append('…');
            return sb.ToString();
        }

        /// <summary>Builds a query string from name/value pairs, escaping every value.</summary>
        public static string Query(IEnumerable<KeyValuePair<string, string>> pairs)
        {
            var encoded = Pairs(pairs);
            return encoded.Length == 0 ? "" : "?" + encoded;
        }

        /// <summary>name=value&amp;name=value, every name and value escaped and checked: a query's or a form body's text.</summary>
        public static string Pairs(IEnumerable<KeyValuePair<string, string>> pairs)
        {
            var sb = new StringBuilder();
            foreach (var p in pairs)
            {
                if (sb.Length > 0) sb.Append('&');
                sb.Append(Uri.EscapeDataString(p.Key)).Append('=').Append(Uri.EscapeDataString(QueryValue(p.Value, p.Key)));
            }
            return sb.ToString();
        }
    }
}
