using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using LeadConnector.Emulator;
using LeadConnector.Engine;
using Xunit.Abstractions;

namespace LeadConnector.Tests.Engine
{
    /// <summary>Temporary: the JsonElement readers against the Utf8JsonReader readers on every fixture and mutations of them.</summary>
    public class ReaderDiffTests
    {
        private readonly ITestOutputHelper _out;
        public ReaderDiffTests(ITestOutputHelper output) => _out = output;

        private static string Describe(object? o)
        {
            if (o == null) return "null";
            if (o is string s) return JsonSerializer.Serialize(s);
            if (o is DateTimeOffset d) return d.ToString("o") + "/" + d.Offset;
            if (o is System.Collections.IEnumerable e && o is not string)
                return "[" + string.Join(",", e.Cast<object?>().Select(Describe)) + "]";
            var t = o.GetType();
            if (t.IsPrimitive || t.IsEnum || Nullable.GetUnderlyingType(t) != null) return o.ToString()!;
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(CursorPage<>))
            {
                dynamic p = o;
                return $"page(items={Describe(p.Items)}, next={Describe((object?)p.NextCursor)}, more={Describe((object?)p.HasMore)}, total={Describe((object?)p.Total)})";
            }
            var sb = new StringBuilder(t.Name + "{");
            foreach (var pr in t.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).OrderBy(p => p.Name))
            {
                if (pr.GetIndexParameters().Length > 0) continue;
                sb.Append(pr.Name).Append('=').Append(Describe(pr.GetValue(o))).Append(';');
            }
            return sb.Append('}').ToString();
        }

        private static JsonElement Old(byte[] body)
        {
            if (JsonSource.IsBlank(body)) return default;
            if (!LcClient.TryParseJson(body, out var root)) throw new InvalidOperationException("undecodable");
            return root;
        }

        private static readonly (string Name, Func<byte[], object?> Old, Func<byte[], object?> New)[] Readers =
        {
            ("conv", b => ConversationOperations.ReadConversation(Old(b), "GET", "p"), b => ConversationOperations.ReadConversation(b, "GET", "p")),
            ("search", b => ConversationOperations.ReadSearchPage(Old(b)), b => ConversationOperations.ReadSearchPage(b)),
            ("messages", b => MessageOperations.ReadMessagePage(Old(b), "p"), b => MessageOperations.ReadMessagePage(b, "p")),
            ("message", b => { var i = JsonRead.Unwrap(Old(b), "message"); if (i == null) throw ConversationOperations.Unexpected("GET", "p", "a message object"); return Message.Read(i.Value); },
                b => Message.Answer.Read(b, out _) ?? throw ConversationOperations.Unexpected("GET", "p", "a message object")),
            ("email", b => { var i = JsonRead.Unwrap(Old(b), "emailMessage"); if (i == null) throw ConversationOperations.Unexpected("GET", "p", "an email message object"); return EmailMessage.Read(i.Value); },
                b => EmailMessage.Answer.Read(b, out _) ?? throw ConversationOperations.Unexpected("GET", "p", "an email message object")),
            ("contact", b => { var i = JsonRead.Unwrap(Old(b), "contact"); if (i == null) throw ConversationOperations.Unexpected("GET", "p", "a contact object"); return Contact.Read(i.Value); },
                b => Contact.Answer.Read(b, out _) ?? throw ConversationOperations.Unexpected("GET", "p", "a contact object")),
            ("contacts", b => ContactOperations.ReadSearchPageOld(Old(b)), b => ContactOperations.ReadSearchPage(b)),
            ("send", b => { var e = Old(b); if (e.ValueKind != JsonValueKind.Object) throw ConversationOperations.Unexpected("POST", "p", "a send result object"); return SendResult.Read(e); },
                b => SendResult.Fields.TryReadBody(b, out var r) ? r : throw ConversationOperations.Unexpected("POST", "p", "a send result object")),
            ("delete", b => { var e = Old(b); return e.ValueKind == JsonValueKind.Object && JsonRead.Bool(e, "success") == false ? "refused" : "deleted"; },
                b => ConversationOperations.DeleteSucceeded(b) ? "deleted" : "refused"),
        };

        private static string Outcome(Func<byte[], object?> read, byte[] body)
        {
            try { return Describe(read(body)); }
            catch (JsonException) { return "JSON"; }
            catch (LcException ex) { return "Lc:" + ex.Message; }
            catch (Exception ex) { return "!" + ex.GetType().Name + ":" + ex.Message; }
        }

        private static async Task<List<string>> EmulatorBodies()
        {
            var bodies = new List<string>();
            await using var emu = await EmulatorServer.StartAsync();
            emu.State.RateLimit.Max = 100_000;
            using var http = new HttpClient();
            async Task<string> Send(HttpMethod m, string path, string? json = null)
            {
                using var req = new HttpRequestMessage(m, new Uri(emu.BaseUri, path));
                req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Seed.AlphaToken);
                req.Headers.Add("Version", "2021-07-28");
                if (json != null) req.Content = new StringContent(json, Encoding.UTF8, "application/json");
                using var resp = await http.SendAsync(req);
                var text = await resp.Content.ReadAsStringAsync();
                bodies.Add(text);
                return text;
            }
            await Send(HttpMethod.Get, "conversations/search?locationId=loc-alpha&limit=100");
            await Send(HttpMethod.Get, "conversations/conv-a001");
            var list = await Send(HttpMethod.Get, "conversations/conv-a001/messages?limit=100");
            var page = MessageOperations.ReadMessagePage(Encoding.UTF8.GetBytes(list), "p");
            foreach (var m in page.Items.Where(m => m.IsEmail).Take(3).Concat(page.Items.Where(m => !m.IsEmail).Take(3)))
            {
                await Send(HttpMethod.Get, "conversations/messages/" + m.Id);
                if (m.IsEmail) await Send(HttpMethod.Get, "conversations/messages/email/" + m.EmailMessageIds[0]);
            }
            var contacts = await Send(HttpMethod.Post, "contacts/search", "{\"locationId\":\"loc-alpha\",\"pageLimit\":50}");
            foreach (var c in ContactOperations.ReadSearchPage(Encoding.UTF8.GetBytes(contacts)).Items.Take(3))
                await Send(HttpMethod.Get, "contacts/" + c.Id);
            var contactId = ContactOperations.ReadSearchPage(Encoding.UTF8.GetBytes(contacts)).Items[0].Id;
            await Send(HttpMethod.Post, "conversations", "{\"locationId\":\"loc-alpha\",\"contactId\":\"" + contactId + "\"}");
            await Send(HttpMethod.Put, "conversations/conv-a002", "{\"locationId\":\"loc-alpha\",\"unreadCount\":2}");
            await Send(HttpMethod.Post, "conversations/messages", "{\"type\":\"SMS\",\"contactId\":\"" + contactId + "\",\"message\":\"hi\"}");
            await Send(HttpMethod.Delete, "conversations/conv-a003");
            return bodies;
        }

        private static IEnumerable<string> OpenApiExamples()
        {
            foreach (var f in Directory.GetFiles("/work/shared/api/openapi", "*.json"))
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(f));
                var stack = new Stack<JsonElement>();
                stack.Push(doc.RootElement);
                while (stack.Count > 0)
                {
                    var e = stack.Pop();
                    if (e.ValueKind == JsonValueKind.Object)
                        foreach (var p in e.EnumerateObject())
                        {
                            if ((p.Name == "example" || p.Name == "examples") && (p.Value.ValueKind == JsonValueKind.Object || p.Value.ValueKind == JsonValueKind.Array))
                                yield return p.Value.GetRawText();
                            stack.Push(p.Value);
                        }
                    else if (e.ValueKind == JsonValueKind.Array)
                        foreach (var i in e.EnumerateArray()) stack.Push(i);
                }
            }
        }

        private static readonly string[] Weird =
        {
            "null", "true", "false", "0", "1", "-1", "2", "1.5", "1e3", "\"1\"", "\"0\"", "\"TRUE\"", "\"False\"", "\"\"", " \" 12 \"",
            "1628008053263", "\"1628008053263\"", "99999999999999999", "-99999999999999999", "1e300", "9223372036854775807", "9223372036854775808",
            "\"2023-10-01T12:00:00Z\"", "\"2023-10-01T14:00:00+02:00\"", "\"2023-10-01\"", "\"not a date\"", "\"TYPE_EMAIL\"", "\"type_phone\"", "\" Email \"",
            "[]", "[1]", "[1,2]", "[\"a\",1,null,{}]", "[1,\"2\"]", "[[1]]", "{}", "{\"a\":[1,{\"b\":2}]}", "\"a\\u0041\\n\"", "12345678901234567890123",
            "-0", "0.0", "1.0", "2147483648", "\"\\u00e9\"", "[\"x\"]", "\"x\"", "{\"email\":{\"subject\":\"s\",\"messageIds\":\"one\"}}",
            "{\"Email\":{\"Subject\":1}, \"email\":5}", "{\"email\":{\"subject\":\"a\"},\"EMAIL\":{\"messageIds\":[1]}}", "{\"success\":false}",
        };

        private static readonly System.Text.RegularExpressions.Regex ScalarValue = new System.Text.RegularExpressions.Regex(
            "(?<=:\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d[\\d.eE+\\-]*|true|false|null|\\[\\]|\\{\\})");

        private static readonly System.Text.RegularExpressions.Regex Name = new System.Text.RegularExpressions.Regex("\"([A-Za-z_]+)\"(?=\\s*:)");

        private static string Mutate(string s, Random rng)
        {
            switch (rng.Next(10))
            {
                case 0:
                case 1:
                case 2:
                {
                    var ms = ScalarValue.Matches(s);
                    if (ms.Count == 0) return s;
                    var m = ms[rng.Next(ms.Count)];
                    return s.Substring(0, m.Index) + Weird[rng.Next(Weird.Length)] + s.Substring(m.Index + m.Length);
                }
                case 3:
                case 4:
                {
                    // Re-case a name, maybe escape a letter of it.
                    var ms = Name.Matches(s);
                    if (ms.Count == 0) return s;
                    var m = ms[rng.Next(ms.Count)];
                    var n = m.Groups[1].Value;
                    var chars = n.Select(c => rng.Next(3) == 0 ? (char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)) : c).ToArray();
                    var nn = new string(chars);
                    if (rng.Next(4) == 0) nn = "\\u" + ((int)nn[0]).ToString("x4") + nn.Substring(1);
                    if (rng.Next(8) == 0) nn = nn.Replace('i', 'ı');
                    return s.Substring(0, m.Groups[1].Index) + nn + s.Substring(m.Groups[1].Index + n.Length);
                }
                case 5:
                {
                    // Duplicate a property with a re-cased or the same name and a weird value, before or after.
                    var ms = Name.Matches(s);
                    if (ms.Count == 0) return s;
                    var m = ms[rng.Next(ms.Count)];
                    var n = m.Groups[1].Value;
                    var nn = rng.Next(2) == 0 ? n : (rng.Next(2) == 0 ? n.ToUpperInvariant() : char.ToUpperInvariant(n[0]) + n.Substring(1));
                    var ins = "\"" + nn + "\":" + Weird[rng.Next(Weird.Length)] + ",";
                    return s.Substring(0, m.Index) + ins + s.Substring(m.Index);
                }
                case 6:
                    return s.Length == 0 ? s : s.Substring(0, rng.Next(s.Length));
                case 7:
                {
                    int brace = s.IndexOf('{', rng.Next(Math.Max(1, s.Length)));
                    if (brace < 0) brace = s.IndexOf('{');
                    if (brace < 0) return s;
                    var extra = new[] { "\"unknown\":{\"id\":\"x\",\"a\":[1,{}]},", "\"success\":false,", "\"success\":\"TRUE\",", "\"id\":\"dup\",\"ID\":7,", "\"conversation\":5,", "\"messages\":{\"messages\":[]},", "\"total\":\"7\",", "\"x\":[[[[]]]]," }[rng.Next(8)];
                    return s.Insert(brace + 1, extra);
                }
                case 8:
                    return rng.Next(3) switch { 0 => "  " + s + "\n", 1 => s + " x", _ => "{\"conversation\":" + s + ",\"success\":true}" };
                default:
                {
                    var wrap = new[] { "conversation", "message", "emailMessage", "contact", "messages", "conversations", "contacts" }[rng.Next(7)];
                    return "{\"" + wrap + "\":" + s + (rng.Next(2) == 0 ? ",\"total\":3,\"lastMessageId\":\"q\",\"nextPage\":1" : "") + "}";
                }
            }
        }

        [Fact]
        public async Task Old_and_new_readers_agree()
        {
            var seeds = new List<string>(await EmulatorBodies());
            seeds.AddRange(OpenApiExamples());
            seeds.AddRange(new[]
            {
                "", " ", "\r\n\t", "[]", "\"text\"", "5", "null", "{}", "{\"conversations\":{}}", "{\"messages\":5}", "{\"messages\":{\"messages\":\"x\"}}",
                "{\"success\":false,\"conversation\":{\"id\":\"c1\"}}", "{\"id\":\"c1\",\"type\":0,\"sort\":[1,2,3]}", "{\"id\":\"c1\",\"sort\":[\"1\"]}",
                "{\"id\":\"a\",\"ID\":\"b\",\"id\":\"c\",\"Id\":\"d\"}", "{\"Id\":\"d\",\"iD\":\"e\"}", "{\"contactName\":null,\"name\":\"n\"}",
                "{\"meta\":{\"email\":{\"messageIds\":[\"e1\",2,null],\"subject\":\"s\"}},\"type\":\"TYPE_EMAIL\"}", "{\"type\":\"12\",\"messageType\":null}",
                "{\"customFields\":[ {\"id\":\"x\", \"value\": [1, 2] } ],\"searchAfter\":[ ],\"name\":\"N\"}", "{\"searchAfter\":[1, \"c\"]}",
                "\ufeff{}", "{\"a\":1}/", "{\"a\":1}{}", "{\"a\":1,}", "{/*c*/}", "{\"a\":1} \n ",
            });
            int compared = 0, mismatches = 0;
            var failures = new List<string>();
            var kinds = new SortedDictionary<string, int>();
            var rng = new Random(int.TryParse(Environment.GetEnvironmentVariable("DIFF_SEED"), out var ds) ? ds : 12345);
            var all = new List<string>();
            foreach (var seed in seeds)
            {
                all.Add(seed);
                for (int i = 0; i < 150; i++)
                {
                    var s = seed;
                    int k = 1 + rng.Next(3);
                    for (int j = 0; j < k; j++) s = Mutate(s, rng);
                    all.Add(s);
                }
            }
            foreach (var text in all)
            {
                var body = Encoding.UTF8.GetBytes(text);
                if (!JsonRead.SurelyDecodable(body)) continue;
                foreach (var (name, oldRead, newRead) in Readers)
                {
                    compared++;
                    var a = Outcome(oldRead, body);
                    var b = Outcome(newRead, body);
                    var kind = a == "JSON" ? "json" : a.StartsWith("Lc:") ? "lc" : a.StartsWith("!") ? "crash" : "ok";
                    kinds[name + ":" + kind] = kinds.TryGetValue(name + ":" + kind, out var kc) ? kc + 1 : 1;
                    if (a != b)
                    {
                        mismatches++;
                        if (failures.Count < 15) failures.Add($"{name} on {(text.Length > 600 ? text.Substring(0, 600) + "…" : text)}\n old: {(a.Length > 800 ? a.Substring(0, 800) : a)}\n new: {(b.Length > 800 ? b.Substring(0, 800) : b)}");
                    }
                }
            }
            _out.WriteLine(string.Join(", ", kinds.Select(k => k.Key + "=" + k.Value)));
            _out.WriteLine($"{seeds.Count} seeds, {all.Count} bodies, {compared} comparisons, {mismatches} mismatches");
            Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        }
    }
}
