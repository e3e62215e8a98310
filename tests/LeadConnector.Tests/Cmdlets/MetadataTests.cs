using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using LeadConnector.Tests.Infrastructure;
using static LeadConnector.Tests.Infrastructure.CmdletMetadata;

namespace LeadConnector.Tests.Cmdlets
{
    /// <summary>What PowerShell reads from the cmdlet classes, checked by reflection over the declared attributes.</summary>
    public class MetadataTests
    {
        private static Type Cmdlet(string name) => CmdletTypes().Single(t => CmdletName(t) == name);

        private static readonly string[] Approved = { "Connect", "Disconnect", "Get", "New", "Set", "Remove" };

        public static IEnumerable<object[]> AllCmdlets() => CmdletTypes().Select(t => new object[] { CmdletName(t) });

        [Fact]
        public void The_module_has_exactly_the_expected_cmdlets() =>
            Assert.Equal(
                new[] { "Connect-Lc", "Disconnect-Lc", "Get-LcConnection", "Get-LcConversation", "Get-LcEmailMessage", "New-LcConversation", "Remove-LcConversation", "Set-LcConversation" },
                CmdletTypes().Select(CmdletName).OrderBy(n => n, StringComparer.Ordinal).ToArray());

        [Theory]
        [MemberData(nameof(AllCmdlets))]
        public void Names_use_approved_verbs_and_the_Lc_prefix(string name)
        {
            var parts = name.Split('-');
            Assert.Contains(parts[0], Approved);
            Assert.StartsWith("Lc", parts[1]);
            Assert.Equal(name.Replace("-", "") + "Command", Cmdlet(name).Name);
        }

        [Theory]
        [MemberData(nameof(AllCmdlets))]
        public void Each_cmdlet_lives_in_a_file_named_after_it(string name) =>
            Assert.True(File.Exists(Path.Combine(RepoRoot(), "src", "LeadConnector", "Commands", name + ".cs")), name);

        [Theory]
        [InlineData("New-LcConversation", 2)]
        [InlineData("Set-LcConversation", 2)]
        [InlineData("Remove-LcConversation", 3)]
        public void State_changing_cmdlets_support_ShouldProcess(string name, int impact)
        {
            Assert.True(SupportsShouldProcess(Cmdlet(name)));
            Assert.Equal(impact, ConfirmImpact(Cmdlet(name)));
        }

        [Theory]
        [InlineData("Get-LcConversation")]
        [InlineData("Get-LcEmailMessage")]
        [InlineData("Get-LcConnection")]
        public void Read_only_cmdlets_do_not_claim_ShouldProcess(string name) => Assert.False(SupportsShouldProcess(Cmdlet(name)));

        [Theory]
        [InlineData("Connect-Lc", typeof(Connection))]
        [InlineData("Get-LcConnection", typeof(Connection))]
        [InlineData("New-LcConversation", typeof(Conversation))]
        [InlineData("Get-LcConversation", typeof(Conversation))]
        [InlineData("Set-LcConversation", typeof(Conversation))]
        [InlineData("Get-LcEmailMessage", typeof(EmailMessage))]
        public void Output_types_are_declared(string name, Type type) => Assert.Contains(type, OutputTypes(Cmdlet(name)));

        [Theory]
        [InlineData("New-LcConversation")]
        [InlineData("Get-LcConversation")]
        [InlineData("Set-LcConversation")]
        [InlineData("Remove-LcConversation")]
        [InlineData("Get-LcEmailMessage")]
        public void Api_cmdlets_take_a_Connection(string name)
        {
            var p = Parameters(Cmdlet(name)).Single(x => x.Name == "Connection");
            Assert.Equal(typeof(Connection), p.Type);
            Assert.Equal(AllSets, p.Set);
            Assert.False(p.FromPipeline || p.ByPropertyName);
        }

        [Fact]
        public void Output_type_names_are_the_documented_PSTypeNames()
        {
            Assert.Equal("LeadConnector.Conversation", typeof(Conversation).FullName);
            Assert.Equal("LeadConnector.EmailMessage", typeof(EmailMessage).FullName);
            Assert.Equal("LeadConnector.Connection", typeof(Connection).FullName);
        }

        [Fact]
        public void Connect_has_an_AccessToken_default_set_and_a_Credential_set()
        {
            var t = Cmdlet("Connect-Lc");
            Assert.Equal("AccessToken", DefaultSet(t));
            var ps = Parameters(t);
            var token = ps.Single(p => p.Name == "AccessToken");
            Assert.Equal("AccessToken", token.Set);
            Assert.False(token.Mandatory); // no token: read LC_ACCESS_TOKEN
            Assert.Equal(typeof(System.Security.SecureString), token.Type);
            Assert.NotNull(Attr(t.GetProperty("AccessToken")!, nameof(LeadConnector.Commands.SecureStringTransformationAttribute)));
            var cred = ps.Single(p => p.Name == "Credential");
            Assert.Equal("Credential", cred.Set);
            Assert.True(cred.Mandatory);
            foreach (var n in new[] { "LocationId", "BaseUri", "ApiVersion", "MaxRetries", "MaxRetryTimeSec", "TimeoutSec", "PassThru" })
                Assert.Equal(AllSets, ps.Single(p => p.Name == n).Set);
        }

        [Fact]
        public void New_binds_ContactId_by_property_name_with_the_Id_alias_and_LocationId()
        {
            var t = Cmdlet("New-LcConversation");
            var contact = Parameters(t).Single(p => p.Name == "ContactId");
            Assert.True(contact.Mandatory);
            Assert.True(contact.ByPropertyName);
            Assert.Contains("Id", Aliases(t, "ContactId"));
            Assert.True(Parameters(t).Single(p => p.Name == "LocationId").ByPropertyName);
        }

        [Fact]
        public void Get_conversation_has_Search_default_and_ById_with_pipeline_binding()
        {
            var t = Cmdlet("Get-LcConversation");
            Assert.Equal("Search", DefaultSet(t));
            var id = Parameters(t).Single(p => p.Name == "Id");
            Assert.Equal("ById", id.Set);
            Assert.True(id.Mandatory && id.FromPipeline && id.ByPropertyName);
            Assert.Equal(0, id.Position);
            Assert.Equal(typeof(string[]), id.Type);
            Assert.Contains("ConversationId", Aliases(t, "Id"));
            var search = new[] { "LocationId", "ContactId", "AssignedTo", "Query", "Status", "LastMessageType", "LastMessageDirection", "Sort", "SortBy", "StartDate", "EndDate", "First", "All", "PageSize" };
            foreach (var n in search)
            {
                var p = Parameters(t).Single(x => x.Name == n);
                Assert.Equal("Search", p.Set);
                // Search parameters never bind from the pipeline, so piped input can only ever mean -Id: no ambiguity.
                Assert.False(p.FromPipeline || p.ByPropertyName, n);
            }
            Assert.Equal(new[] { "all", "read", "unread", "starred", "recents" }, ValidateSet(t, "Status"));
            Assert.Equal(new[] { "inbound", "outbound" }, ValidateSet(t, "LastMessageDirection"));
            Assert.Equal(new[] { "asc", "desc" }, ValidateSet(t, "Sort"));
        }

        [Fact]
        public void Set_binds_Id_and_LocationId_by_property_name_and_nothing_else()
        {
            var t = Cmdlet("Set-LcConversation");
            var ps = Parameters(t);
            Assert.True(ps.Single(p => p.Name == "Id").ByPropertyName);
            Assert.True(ps.Single(p => p.Name == "Id").Mandatory);
            Assert.Contains("ConversationId", Aliases(t, "Id"));
            Assert.True(ps.Single(p => p.Name == "LocationId").ByPropertyName);
            // A piped conversation has UnreadCount and Starred properties: they must not silently become changes.
            foreach (var n in new[] { "UnreadCount", "Starred", "Feedback", "PassThru" })
                Assert.False(ps.Single(p => p.Name == n).ByPropertyName, n);
            Assert.Equal(typeof(bool?), ps.Single(p => p.Name == "Starred").Type);
            Assert.Equal(typeof(int?), ps.Single(p => p.Name == "UnreadCount").Type);
        }

        [Theory]
        [InlineData("Remove-LcConversation", "ConversationId")]
        [InlineData("Get-LcEmailMessage", "EmailMessageId")]
        public void Id_binds_by_value_and_property_name(string name, string alias)
        {
            var t = Cmdlet(name);
            var id = Parameters(t).Single(p => p.Name == "Id");
            Assert.True(id.Mandatory && id.FromPipeline && id.ByPropertyName);
            Assert.Contains(alias, Aliases(t, "Id"));
        }

        [Fact]
        public void Remove_has_Force()
        {
            Assert.Equal(typeof(System.Management.Automation.SwitchParameter), Parameters(Cmdlet("Remove-LcConversation")).Single(p => p.Name == "Force").Type);
        }

        [Theory]
        [MemberData(nameof(AllCmdlets))]
        public void Each_parameter_set_has_at_most_one_parameter_per_position_and_one_by_value_pipeline_parameter(string name)
        {
            var ps = Parameters(Cmdlet(name));
            var sets = ps.Select(p => p.Set).Where(s => s != AllSets).Distinct().DefaultIfEmpty(AllSets);
            foreach (var set in sets)
            {
                var inSet = ps.Where(p => p.Set == set || p.Set == AllSets).ToList();
                Assert.Equal(inSet.Count(p => p.Position >= 0), inSet.Where(p => p.Position >= 0).Select(p => p.Position).Distinct().Count());
                Assert.True(inSet.Count(p => p.FromPipeline) <= 1, $"{name} {set}");
            }
        }

        [Fact]
        public void Manifest_exports_exactly_the_cmdlet_classes()
        {
            var psd1 = File.ReadAllText(Path.Combine(RepoRoot(), "LeadConnector.psd1"));
            var block = Regex.Match(psd1, @"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)").Groups["list"].Value;
            var exported = Regex.Matches(block, "'([^']+)'").Select(m => m.Groups[1].Value).OrderBy(s => s, StringComparer.Ordinal);
            Assert.Equal(CmdletTypes().Select(CmdletName).OrderBy(s => s, StringComparer.Ordinal), exported);
            Assert.Matches(@"FunctionsToExport\s*=\s*@\(\)", psd1);
            Assert.Matches(@"AliasesToExport\s*=\s*@\(\)", psd1);
            Assert.Matches(@"VariablesToExport\s*=\s*@\(\)", psd1);
            Assert.Contains("RootModule           = 'bin/LeadConnector.dll'", psd1);
        }

        [Fact]
        public void Format_views_exist_for_each_output_type_and_name_real_properties()
        {
            var xml = System.Xml.Linq.XDocument.Load(Path.Combine(RepoRoot(), "LeadConnector.Format.ps1xml"));
            foreach (var type in new[] { typeof(Conversation), typeof(EmailMessage), typeof(Connection) })
            {
                var view = xml.Descendants("View").Single(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == type.FullName);
                foreach (var prop in view.Descendants("PropertyName").Select(p => p.Value))
                    Assert.NotNull(type.GetProperty(prop));
            }
        }

        [Theory]
        [MemberData(nameof(AllCmdlets))]
        public void Every_cmdlet_has_a_docs_page_with_every_parameter_and_two_examples(string name)
        {
            var path = Path.Combine(RepoRoot(), "docs", name + ".md");
            Assert.True(File.Exists(path), path);
            var md = File.ReadAllText(path);
            foreach (var p in Parameters(Cmdlet(name)).Select(p => p.Name).Distinct())
                Assert.Contains("### -" + p, md);
            if (SupportsShouldProcess(Cmdlet(name)))
            {
                Assert.Contains("### -WhatIf", md);
                Assert.Contains("### -Confirm", md);
            }
            Assert.True(Regex.Matches(md, @"^### Example \d", RegexOptions.Multiline).Count >= 2, "two examples");
            foreach (var section in new[] { "## SYNOPSIS", "## SYNTAX", "## DESCRIPTION", "## EXAMPLES", "## PARAMETERS", "## INPUTS", "## OUTPUTS" })
                Assert.Contains(section, md);
        }

        [Theory]
        [MemberData(nameof(AllCmdlets))]
        public void Every_cmdlet_has_a_pester_test_file(string name) =>
            Assert.True(File.Exists(Path.Combine(RepoRoot(), "tests", name + ".Tests.ps1")), name);
    }
}
