using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Threading.Tasks;
using static LeadConnector.Desktop.Tests.Harness;

namespace LeadConnector.Desktop.Tests
{
    /// <summary>
    /// The module's Windows PowerShell 5.1 path under test. Runs on .NET Framework (Mono with its strict loader stands in
    /// off Windows), loads the built MODULE_BIN/LeadConnector.dll, registers its DesktopResolver for MODULE_BIN/Desktop,
    /// gets the engine's netstandard2.0 build and its closure (RestSharp, System.Text.Json 8, ...) served through it and
    /// runs the engine against the emulator at EMULATOR_URI.
    /// Usage: LeadConnector.Desktop.Tests.exe MODULE_BIN EMULATOR_URI (tests/Invoke-DesktopTests.ps1 runs it).
    /// Prints one line per case, then "N passed, N failed"; exits 1 when a case failed.
    /// </summary>
    public static class Program
    {
        /// <summary>
        /// What the engine's calls must have loaded, each from bin/Desktop. The resolver serves the engine with LoadFrom;
        /// the runtime then finds the references of the shipped versions beside it by itself and asks the resolver for
        /// the rest (System.Buffers 4.0.2.0, System.Runtime.CompilerServices.Unsafe 4.0.4.1), as .NET Framework does.
        /// </summary>
        private static readonly string[] Closure =
        {
            "RestSharp", "System.Text.Json", "System.Text.Encodings.Web", "System.Memory", "System.Buffers",
            "System.Runtime.CompilerServices.Unsafe", "System.Threading.Tasks.Extensions", "Microsoft.Bcl.AsyncInterfaces",
            "System.Threading.RateLimiting",
        };

        public static async Task<int> Main(string[] args)
        {
            if (args.Length != 2 || !Uri.TryCreate(args[1], UriKind.Absolute, out var emulator) || !emulator.IsLoopback)
            {
                Console.Error.WriteLine("Usage: LeadConnector.Desktop.Tests.exe MODULE_BIN EMULATOR_URI (the emulator on a loopback address)");
                return 2;
            }
            var module = Path.GetFullPath(args[0]);
            var desktop = Path.Combine(module, "Desktop");
            Console.WriteLine($"Runtime: {RuntimeInformation.FrameworkDescription}; module: {module}");
            var t = new Harness();

            t.Run("this program's folder holds no copy of the module's assemblies", () =>
            {
                var here = AppDomain.CurrentDomain.BaseDirectory;
                var copies = Directory.GetFiles(desktop, "*.dll").Append(Path.Combine(module, "LeadConnector.dll"))
                    .Select(Path.GetFileName).Where(f => File.Exists(Path.Combine(here, f))).ToList();
                Check(copies.Count == 0, $"{here} holds {string.Join(", ", copies)}");
            });
            t.Run("without a resolver a shipped file is refused for another version (strict binding)", () => BindingProbe.Check(desktop));
            t.Run("the module's DesktopResolver registers for bin/Desktop", () => RegisterResolver(module, desktop));
            t.Run("System.Buffers 4.0.2.0 is served the shipped file", () => ServedByName(desktop, "System.Buffers", new Version(4, 0, 2, 0)));
            t.Run("System.Runtime.CompilerServices.Unsafe 4.0.4.1 is served the shipped file",
                () => ServedByName(desktop, "System.Runtime.CompilerServices.Unsafe", new Version(4, 0, 4, 1)));

            // Loaded once; a failure is cached, so every engine case reports it.
            var engine = new Lazy<Engine>(() => LoadEngine(desktop));
            t.Run("the engine (netstandard2.0) is served from bin/Desktop", () => _ = engine.Value);

            await t.RunAsync("get a conversation", async () =>
            {
                var e = engine.Value;
                dynamic conversations = e.New("ConversationOperations", e.Connect(emulator));
                var c = await conversations.GetAsync("conv-a001", e.Call);
                Check((string)c.Id == "conv-a001" && (string)c.LocationId == Engine.Location && (string)c.ContactId == "contact-a001",
                    $"got {c.Id} of {c.LocationId}, contact {c.ContactId}");
            });

            await t.RunAsync("search reads all 45 conversations in pages of 10", async () =>
            {
                var e = engine.Value;
                dynamic conversations = e.New("ConversationOperations", e.Connect(emulator));
                dynamic query = e.New("ConversationQuery");
                var (items, pages, total) = await e.ReadAll("Conversation", "ConversationOperations", 10,
                    async (limit, cursor) => await conversations.SearchAsync(query, limit, cursor, e.Call));
                var ids = items.Select(c => (string)c.Id).ToList();
                var expected = Enumerable.Range(1, 45).Select(i => $"conv-a{i:000}");
                Check(ids.Count == 45 && new HashSet<string>(ids).SetEquals(expected), $"{ids.Count} conversations, {ids.Distinct().Count()} distinct");
                Check(pages == 5 && total == 45, $"{pages} pages, total {total}");
            });

            await t.RunAsync("messages of conv-a001 read all 131 in pages of 50", async () =>
            {
                var e = engine.Value;
                dynamic messages = e.New("MessageOperations", e.Connect(emulator));
                IReadOnlyList<string>? allTypes = null;
                var (items, pages, _) = await e.ReadAll("Message", "MessageOperations", 50,
                    async (limit, cursor) => await messages.ListAsync("conv-a001", allTypes, limit, cursor, e.Call));
                var ids = items.Select(m => (string)m.Id).Distinct().Count();
                Check(items.Count == 131 && ids == 131, $"{items.Count} messages, {ids} distinct");
                Check(items.All(m => (string)m.ConversationId == "conv-a001"), "a message of another conversation");
                Check(pages == 3, $"{pages} pages");
            });

            await t.RunAsync("send a message and read it back", async () =>
            {
                var e = engine.Value;
                dynamic messages = e.New("MessageOperations", e.Connect(emulator));
                var text = "Desktop test " + Guid.NewGuid().ToString("N");
                dynamic send = e.New("MessageSend");
                send.Type = "SMS";
                send.ContactId = "contact-a002";
                send.Message = text;
                var sent = await messages.SendAsync(send, e.Call);
                string? id = sent.MessageId;
                Check(!string.IsNullOrEmpty(id) && (string)sent.ConversationId == "conv-a002", $"message '{id}' in {sent.ConversationId}");
                var stored = await messages.GetAsync(id, e.Call);
                Check((string)stored.Body == text && (string)stored.ContactId == "contact-a002", $"read back '{stored.Body}' for {stored.ContactId}");
            });

            await t.RunAsync("a 404 is an LcException of kind NotFound", async () =>
            {
                var e = engine.Value;
                dynamic conversations = e.New("ConversationOperations", e.Connect(emulator));
                var error = await Thrown(() => conversations.GetAsync("conv-a999", e.Call));
                CheckLcError(e, error, "NotFound");
                Check(((dynamic)error).StatusCode == 404, $"status {((dynamic)error).StatusCode}");
            });

            await t.RunAsync("a refused connection is an LcException of kind Network", async () =>
            {
                var e = engine.Value;
                dynamic conversations = e.New("ConversationOperations", e.Connect(new Uri($"http://127.0.0.1:{FreePort()}/")));
                CheckLcError(e, await Thrown(() => conversations.GetAsync("conv-a001", e.Call)), "Network");
            });

            t.Run("Ed25519 verifies an RFC 8032 vector on .NET Framework, BouncyCastle served from bin/Desktop", () =>
            {
                var e = engine.Value;
                var verify = e.Type("Webhooks.WebhookSignature").GetMethod("VerifyEd25519", new[] { typeof(byte[]), typeof(string), typeof(string) })!;
                const string key = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"; // RFC 8032 7.1 TEST 2
                const string signature = "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";
                Check((bool)verify.Invoke(null, new object[] { new byte[] { 0x72 }, signature, key })!, "the RFC 8032 signature did not verify");
                Check(!(bool)verify.Invoke(null, new object[] { new byte[] { 0x73 }, signature, key })!, "a changed message verified");
                var copies = Loaded("BouncyCastle.Cryptography");
                Check(copies.Count > 0 && copies.All(a => InDirectory(a, desktop)), "BouncyCastle.Cryptography not loaded from bin/Desktop: " + string.Join(", ", copies.Select(a => a.Location)));
            });

            foreach (var name in Closure)
                t.Run($"{name} was loaded from bin/Desktop", () =>
                {
                    var copies = Loaded(name);
                    Check(copies.Count > 0, "not loaded");
                    var stray = copies.Where(a => !InDirectory(a, desktop)).Select(a => a.Location).ToList();
                    Check(stray.Count == 0, "loaded from " + string.Join(", ", stray));
                });
            t.Run("nothing named like a bin/Desktop file was loaded from anywhere else", () =>
            {
                var stray = Directory.GetFiles(desktop, "*.dll").SelectMany(f => Loaded(Path.GetFileNameWithoutExtension(f)))
                    .Where(a => !InDirectory(a, desktop) && !MonoOwnVectors(a)).Select(a => $"{a.FullName} from {a.Location}").ToList();
                Check(stray.Count == 0, string.Join("; ", stray));
            });

            return t.Finish();
        }

        /// <summary>Loads the built cmdlet assembly and registers its resolver, as ModuleInitializer.OnImport does on .NET Framework.</summary>
        private static void RegisterResolver(string module, string desktop)
        {
            var cmdlets = Assembly.LoadFrom(Path.Combine(module, "LeadConnector.dll"));
            var type = cmdlets.GetType("LeadConnector.Commands.DesktopResolver", throwOnError: true)!;
            const BindingFlags Internal = BindingFlags.Instance | BindingFlags.NonPublic;
            var resolver = Activator.CreateInstance(type, Internal, null, new object[] { desktop }, null);
            type.GetMethod("Register", Internal)!.Invoke(resolver, null);
        }

        /// <summary>An older version than bin/Desktop ships (what its assemblies reference) is answered with the shipped file.</summary>
        private static void ServedByName(string desktop, string name, Version asked)
        {
            var file = Path.Combine(desktop, name + ".dll");
            var shipped = AssemblyName.GetAssemblyName(file);
            Check(shipped.Version != asked, $"bin/Desktop ships {asked} itself, so nothing is tested");
            var loaded = Assembly.Load(new AssemblyName(shipped.FullName) { Version = asked });
            Check(InDirectory(loaded, desktop), $"got {loaded.FullName} from {loaded.Location}");
        }

        /// <summary>The engine, asked for by its full name as the cmdlets ask: only the resolver knows bin/Desktop.</summary>
        private static Engine LoadEngine(string desktop)
        {
            var file = Path.Combine(desktop, "LeadConnector.Engine.dll");
            // The name as text: the AssemblyName read from the file carries its CodeBase, which Assembly.Load would
            // follow by itself, without the resolver.
            var engine = Assembly.Load(AssemblyName.GetAssemblyName(file).FullName);
            Check(InDirectory(engine, desktop), $"loaded from {engine.Location}");
            var target = engine.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;
            Check(target == ".NETStandard,Version=v2.0", $"the engine targets {target}");
            return new Engine(engine);
        }

        private static async Task<Exception> Thrown(Func<Task> action)
        {
            try
            {
                await action();
            }
            catch (Exception ex)
            {
                return ex;
            }
            throw Failure("nothing was thrown");
        }

        /// <summary>The engine's own LcException (from the served engine) with the expected kind.</summary>
        private static void CheckLcError(Engine e, Exception error, string kind)
        {
            Check(error.GetType() == e.Type("LcException"), $"{error.GetType().FullName} from {error.GetType().Assembly.Location}: {error.Message}");
            string actual = ((dynamic)error).Kind.ToString();
            Check(actual == kind, $"kind {actual}: {error.Message}");
        }

        /// <summary>A loopback port that was free a moment ago: nothing listens there now.</summary>
        private static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            try { return ((IPEndPoint)probe.LocalEndpoint).Port; }
            finally { probe.Stop(); }
        }

        /// <summary>
        /// Mono answers System.Memory's request for System.Numerics.Vectors 4.1.3.0 with its own GAC copy (4.0.0.0: its
        /// strict loader accepts the same major version) before any resolver runs. .NET Framework binds the GAC by exact
        /// version, so there the request reaches the resolver; the module has no say in Mono's choice.
        /// </summary>
        private static bool MonoOwnVectors(Assembly a) =>
            Type.GetType("Mono.Runtime") != null && a.GlobalAssemblyCache && a.GetName().Name == "System.Numerics.Vectors";

        private static List<Assembly> Loaded(string name) =>
            AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.GetName().Name == name).ToList();

        private static bool InDirectory(Assembly assembly, string directory) =>
            string.Equals(Path.GetDirectoryName(assembly.Location), directory, StringComparison.OrdinalIgnoreCase);
    }
}
