using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using LeadConnector.Engine;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.Engine
{
    /// <summary>
    /// The Windows PowerShell build of the engine (netstandard2.0, shipped in bin/Desktop) has its own code where the
    /// targets differ. Windows PowerShell is not on this machine, so these tests load that build's IL into a context of
    /// its own on this runtime and check it against the PowerShell 7 build.
    /// </summary>
    public class DesktopBuildTests
    {
        private static readonly Lazy<Assembly> Desktop = new Lazy<Assembly>(() =>
        {
            var path = Path.Combine(Path.GetDirectoryName(PsSession.ModuleManifest)!, "bin", "Desktop", "LeadConnector.Engine.dll");
            Assert.True(File.Exists(path), "The module layout has no Windows PowerShell engine: " + path);
            // Only the engine comes from bin/Desktop; its references resolve to this runtime's assemblies.
            return new AssemblyLoadContext("desktop-engine-under-test", isCollectible: false).LoadFromAssemblyPath(path);
        });

        [Fact]
        public void The_loaded_assembly_is_the_netstandard_build()
        {
            var target = Desktop.Value.GetCustomAttribute<System.Runtime.Versioning.TargetFrameworkAttribute>();
            Assert.Equal(".NETStandard,Version=v2.0", target?.FrameworkName);
        }

        public static TheoryData<string, byte[]> Bodies()
        {
            var data = new TheoryData<string, byte[]>();
            void Add(string name, byte[] bytes) => data.Add(name, bytes);
            Add("plain", Encoding.UTF8.GetBytes("{\"id\":\"c1\",\"n\":1}"));
            Add("non-ASCII text", Encoding.UTF8.GetBytes("{\"name\":\"Zoë Ångström 日本 😀\"}"));
            Add("escaped BMP character", Encoding.UTF8.GetBytes("{\"s\":\"\\u00e9\"}"));
            Add("escaped backslash before uD800 text", Encoding.UTF8.GetBytes("{\"s\":\"\\\\uD800\"}"));
            Add("lone surrogate escape", Encoding.UTF8.GetBytes("{\"s\":\"\\uD800\"}"));
            Add("lower-case surrogate escape", Encoding.UTF8.GetBytes("{\"s\":\"\\udc00x\"}"));
            Add("surrogate pair escape", Encoding.UTF8.GetBytes("{\"s\":\"\\uD83D\\uDE00\"}"));
            Add("invalid byte", new byte[] { (byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)'}' });
            Add("overlong slash", new byte[] { (byte)'"', 0xC0, 0xAF, (byte)'"' });
            Add("encoded surrogate (CESU)", new byte[] { (byte)'"', 0xED, 0xA0, 0x80, (byte)'"' });
            Add("past U+10FFFF", new byte[] { (byte)'"', 0xF4, 0x90, 0x80, 0x80, (byte)'"' });
            Add("truncated sequence at the end", new byte[] { (byte)'"', (byte)'a', 0xE2, 0x82 });
            Add("empty", Array.Empty<byte>());
            Add("trailing backslash", Encoding.UTF8.GetBytes("\"abc\\"));
            return data;
        }

        [Theory]
        [MemberData(nameof(Bodies))]
        public void Its_decodability_check_agrees_with_the_PowerShell_7_build(string name, byte[] body)
        {
            var desktop = Desktop.Value.GetType("LeadConnector.Engine.JsonText", throwOnError: true)!
                .GetMethod("SurelyDecodable", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!;
            var expected = JsonText.SurelyDecodable(body);
            Assert.True(expected == (bool)desktop.Invoke(null, new object[] { body })!, $"{name}: the builds disagree (PowerShell 7 says {expected}).");
        }

        [Fact]
        public void It_clears_a_plain_body_without_the_slow_check()
        {
            // Before, the netstandard build answered false for every body, so each one was parsed into a JsonDocument and
            // every string decoded before the reader ran.
            var desktop = Desktop.Value.GetType("LeadConnector.Engine.JsonText", throwOnError: true)!
                .GetMethod("SurelyDecodable", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!;
            Assert.True((bool)desktop.Invoke(null, new object[] { Encoding.UTF8.GetBytes("{\"conversations\":[{\"id\":\"c1\"}],\"total\":1}") })!);
        }
    }
}
