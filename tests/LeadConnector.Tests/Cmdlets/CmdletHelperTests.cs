using System.Collections;
using System.Collections.Generic;
using System.IO;
using LeadConnector.Commands;

namespace LeadConnector.Tests.Cmdlets
{
    public class CmdletHelperTests
    {
        [Fact]
        public void The_assembly_resolver_loads_only_dlls_that_ship_beside_the_module()
        {
            var dir = Directory.CreateTempSubdirectory("lc-resolve").FullName;
            try
            {
                File.WriteAllBytes(Path.Combine(dir, "System.Memory.dll"), new byte[] { 0 });
                // Any version asked for resolves to the shipped copy: Windows PowerShell has no binding redirects.
                Assert.Equal(Path.Combine(dir, "System.Memory.dll"),
                    ModuleInitializer.ShippedPath("System.Memory, Version=4.0.1.1, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", dir));
                Assert.Equal(Path.Combine(dir, "System.Memory.dll"), ModuleInitializer.ShippedPath("System.Memory, Version=4.0.5.0", dir));
                Assert.Null(ModuleInitializer.ShippedPath("Newtonsoft.Json, Version=13.0.0.0", dir));
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        [Fact]
        public void Feedback_values_are_copied_to_plain_hashtables_and_lists()
        {
            var input = new Hashtable
            {
                ["rating"] = 5,
                ["tags"] = new object[] { "a", new Hashtable { ["deep"] = true } },
                ["note"] = "text",
                ["none"] = null,
            };
            var copy = Assert.IsType<Hashtable>(PlainValues.Unwrap(input));
            Assert.NotSame(input, copy);
            Assert.Equal(5, copy["rating"]);
            Assert.Equal("text", copy["note"]); // strings are values, not character lists
            Assert.Null(copy["none"]);
            var tags = Assert.IsType<List<object?>>(copy["tags"]);
            Assert.Equal("a", tags[0]);
            Assert.Equal(true, Assert.IsType<Hashtable>(tags[1])["deep"]);
        }
    }
}
