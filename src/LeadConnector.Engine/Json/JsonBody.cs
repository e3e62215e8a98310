using System;
using System.Collections;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace LeadConnector.Engine
{
    /// <summary>Writes request bodies. Values come from users (hashtables), so every type is handled explicitly.</summary>
    internal static class JsonBody
    {
        public static string Write(Action<Utf8JsonWriter> body)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                body(writer);
                writer.WriteEndObject();
            }
            return Encoding.UTF8.GetString(stream.ToArray());
        }

        /// <summary>Writes a plain value: null, string, bool, number, date, dictionary or list (to a depth of 32).</summary>
        public static void Value(Utf8JsonWriter w, object? value, string path, int depth = 0)
        {
            if (depth > 32) throw LcException.InvalidInput($"The value at '{path}' is nested more than 32 levels deep.");
            switch (value)
            {
                case null: w.WriteNullValue(); break;
                case string s: w.WriteStringValue(s); break;
                case char c: w.WriteStringValue(c.ToString()); break;
                case bool b: w.WriteBooleanValue(b); break;
                case int i: w.WriteNumberValue(i); break;
                case long l: w.WriteNumberValue(l); break;
                case short sh: w.WriteNumberValue(sh); break;
                case byte by: w.WriteNumberValue(by); break;
                case uint ui: w.WriteNumberValue(ui); break;
                case ulong ul: w.WriteNumberValue(ul); break;
                case decimal m: w.WriteNumberValue(m); break;
                case double d when !double.IsNaN(d) && !double.IsInfinity(d): w.WriteNumberValue(d); break;
                case float f when !float.IsNaN(f) && !float.IsInfinity(f): w.WriteNumberValue(f); break;
                case DateTimeOffset dto: w.WriteStringValue(IsoDate.Wire(dto.UtcDateTime)); break;
                case DateTime dt: w.WriteStringValue(IsoDate.Wire(dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt.ToUniversalTime())); break;
                case Guid g: w.WriteStringValue(g.ToString()); break;
                case Enum e: w.WriteStringValue(e.ToString()); break;
                case IDictionary dict:
                    w.WriteStartObject();
                    foreach (DictionaryEntry entry in dict)
                    {
                        var key = entry.Key as string ?? Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "";
                        w.WritePropertyName(key);
                        Value(w, entry.Value, path + "." + key, depth + 1);
                    }
                    w.WriteEndObject();
                    break;
                case IEnumerable list:
                    w.WriteStartArray();
                    int n = 0;
                    foreach (var item in list) Value(w, item, $"{path}[{n++}]", depth + 1);
                    w.WriteEndArray();
                    break;
                default:
                    throw LcException.InvalidInput(
                        $"The value at '{path}' is a {value.GetType().FullName}, which has no JSON form here. Use strings, numbers, booleans, dates, hashtables and arrays.");
            }
        }
    }
}
