using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.Cmdlets
{
    /// <summary>
    /// Internal helpers of the cmdlet assembly, called by reflection on the copy PowerShell imported (the tests never
    /// load the cmdlet assembly themselves).
    /// </summary>
    public class CmdletHelperTests : IClassFixture<ModuleCommandsFixture>
    {
        private readonly Assembly _cmdlets;

        public CmdletHelperTests(ModuleCommandsFixture m) => _cmdlets = m.Commands["Connect-Lc"].ImplementingType.Assembly;

        private object? Call(string type, string method, params object?[] args) =>
            _cmdlets.GetType("LeadConnector.Commands." + type, throwOnError: true)!
                .GetMethod(method, BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static)!
                .Invoke(null, args);

        [Fact]
        public void The_assembly_resolver_loads_only_dlls_that_ship_beside_the_module()
        {
            var dir = Directory.CreateTempSubdirectory("lc-resolve").FullName;
            try
            {
                File.WriteAllBytes(Path.Combine(dir, "System.Memory.dll"), new byte[] { 0 });
                // Any version asked for resolves to the shipped copy: Windows PowerShell has no binding redirects.
                Assert.Equal(Path.Combine(dir, "System.Memory.dll"),
                    Call("DesktopResolver", "ShippedPath", "System.Memory, Version=4.0.1.1, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", dir));
                Assert.Equal(Path.Combine(dir, "System.Memory.dll"), Call("DesktopResolver", "ShippedPath", "System.Memory, Version=4.0.5.0", dir));
                Assert.Null(Call("DesktopResolver", "ShippedPath", "Newtonsoft.Json, Version=13.0.0.0", dir));
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        [Fact]
        public void The_Windows_PowerShell_resolver_answers_only_the_modules_own_requests()
        {
            // Windows PowerShell 5.1 is not on the build machines: the handler's rule is tested here, on PowerShell 7.
            var desktop = (string)_cmdlets.GetType("LeadConnector.Commands.ModuleInitializer", true)!
                .GetProperty("DesktopDependencyDirectory", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
            Assert.EndsWith(Path.Combine("bin", "Desktop"), desktop);
            Assert.True((bool)Call("DesktopResolver", "IsOurRequest", null, desktop)!); // the runtime did not say who asks
            Assert.True((bool)Call("DesktopResolver", "IsOurRequest", _cmdlets, desktop)!); // the cmdlets ask for the engine
            // Another module (here: xunit's own assembly, outside the module) asking for, say, System.Text.Json is not answered.
            Assert.False((bool)Call("DesktopResolver", "IsOurRequest", typeof(Assert).Assembly, desktop)!);
            Assert.False((bool)Call("DesktopResolver", "IsOurRequest", typeof(object).Assembly, desktop)!);
        }

        [Fact]
        public void Feedback_values_are_copied_to_plain_hashtables_and_lists()
        {
            var input = new Hashtable
            {
                ["rating"] = 5,
                ["tags"] = new object[] { "a", PSObject.AsPSObject(new Hashtable { ["deep"] = true }) },
                ["note"] = "text",
                ["none"] = null,
            };
            var copy = Assert.IsType<Hashtable>(Call("PlainValues", "ToPlain", input, "-Feedback"));
            Assert.NotSame(input, copy);
            Assert.Equal(5, copy["rating"]);
            Assert.Equal("text", copy["note"]); // strings are values, not character lists
            Assert.Null(copy["none"]);
            var tags = Assert.IsType<List<object?>>(copy["tags"]);
            Assert.Equal("a", tags[0]);
            Assert.Equal(true, Assert.IsType<Hashtable>(tags[1])["deep"]); // the PSObject wrapper is gone
        }
    }
}
