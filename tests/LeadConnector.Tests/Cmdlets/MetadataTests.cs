using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.Cmdlets
{
    /// <summary>The module's commands as PowerShell sees them: real CmdletInfo from Get-Command in a runspace.</summary>
    public sealed class ModuleCommandsFixture : IDisposable
    {
        public ModuleCommandsFixture()
        {
            Session = new PsSession();
            var r = Session.Run("Get-Command -Module LeadConnector");
            Commands = r.Output.Select(o => (CmdletInfo)o.BaseObject).ToDictionary(c => c.Name);
            var manifest = Session.Run("Import-PowerShellDataFile -Path $p", ("p", PsSession.ModuleManifest));
            Manifest = (Hashtable)Assert.Single(manifest.Output).BaseObject;
            var exported = Session.Run("(Get-Module LeadConnector).ExportedCmdlets.Keys");
            Exported = exported.Output.Select(o => o.ToString()).ToList();
        }

        public PsSession Session { get; }
        public Dictionary<string, CmdletInfo> Commands { get; }
        public Hashtable Manifest { get; }
        public List<string> Exported { get; }

        public void Dispose() => Session.Dispose();
    }

    public class MetadataTests : IClassFixture<ModuleCommandsFixture>
    {
        private const string AllSets = "__AllParameterSets";
        // Kept in order here, so a new cmdlet can be added at the end of the list.
        private static readonly string[] Names = new[]
        {
            "Add-LcContactTag", "Add-LcContactToWorkflow", "Add-LcMessage", "Connect-Lc", "ConvertFrom-LcWebhook",
            "Disconnect-Lc", "Get-LcConnection", "Get-LcContact", "Get-LcContactNote", "Get-LcContactSubscription",
            "Get-LcConversation", "Get-LcCustomSubtype", "Get-LcEmailMessage", "Get-LcMessage", "Get-LcMessageTranscription",
            "Invoke-LcRequest", "New-LcContact", "New-LcContactNote", "New-LcConversation", "New-LcCustomSubtype",
            "Remove-LcContact", "Remove-LcContactFromWorkflow", "Remove-LcContactNote", "Remove-LcContactTag",
            "Remove-LcConversation", "Save-LcMessageRecording", "Send-LcMessage", "Send-LcReviewReply", "Send-LcTypingIndicator",
            "Set-LcContact", "Set-LcContactNote", "Set-LcContactSubscription", "Set-LcConversation", "Set-LcCustomSubtype",
            "Set-LcMessage", "Stop-LcScheduledMessage", "Test-LcWebhookSignature",
            "Save-LcConnection", "Remove-LcConnection",
        }.OrderBy(n => n, StringComparer.Ordinal).ToArray();
        private static readonly string[] Approved = { "Add", "Connect", "ConvertFrom", "Disconnect", "Get", "Invoke", "New", "Remove", "Save", "Send", "Set", "Stop", "Test" };

        private readonly ModuleCommandsFixture _m;

        public MetadataTests(ModuleCommandsFixture m) => _m = m;

        private CmdletInfo Cmdlet(string name) => _m.Commands[name];

        private static CmdletAttribute Attr(CmdletInfo c) => c.ImplementingType.GetCustomAttribute<CmdletAttribute>()!;

        private static ParameterMetadata Param(CmdletInfo c, string name) => c.Parameters[name];

        /// <summary>The parameters the cmdlet declares (not the common ones PowerShell adds).</summary>
        private static IEnumerable<string> Declared(CmdletInfo c) =>
            c.Parameters.Keys.Where(k => !System.Management.Automation.Cmdlet.CommonParameters.Contains(k) &&
                                         !System.Management.Automation.Cmdlet.OptionalCommonParameters.Contains(k));

        private static string[] ValidateSet(CmdletInfo c, string name) =>
            Param(c, name).Attributes.OfType<ValidateSetAttribute>().Single().ValidValues.ToArray();

        public static IEnumerable<object[]> AllCmdlets() => Names.Select(n => new object[] { n });

        [Fact]
        public void The_module_has_exactly_the_expected_cmdlets()
        {
            Assert.Equal(Names, _m.Commands.Keys.OrderBy(n => n, StringComparer.Ordinal).ToArray());
            Assert.All(_m.Commands.Values, c => Assert.Equal(CommandTypes.Cmdlet, c.CommandType));
        }

        [Theory]
        [MemberData(nameof(AllCmdlets))]
        public void Names_use_approved_verbs_and_the_Lc_prefix(string name)
        {
            var c = Cmdlet(name);
            Assert.Contains(c.Verb, Approved);
            Assert.Single(_m.Session.Run("Get-Verb -Verb $v", ("v", c.Verb)).Output);
            Assert.StartsWith("Lc", c.Noun);
            Assert.Equal(name.Replace("-", "") + "Command", c.ImplementingType.Name);
        }

        [Theory]
        [MemberData(nameof(AllCmdlets))]
        public void Each_cmdlet_lives_in_a_file_named_after_it(string name) =>
            Assert.True(File.Exists(Path.Combine(RepoRoot(), "src", "LeadConnector", "Commands", name + ".cs")), name);

        [Theory]
        [InlineData("New-LcConversation", ConfirmImpact.Medium)]
        [InlineData("Set-LcConversation", ConfirmImpact.Medium)]
        [InlineData("Remove-LcConversation", ConfirmImpact.High)]
        [InlineData("New-LcContact", ConfirmImpact.Medium)]
        [InlineData("Set-LcContact", ConfirmImpact.Medium)]
        [InlineData("Remove-LcContact", ConfirmImpact.High)]
        [InlineData("Send-LcMessage", ConfirmImpact.Medium)]
        [InlineData("Invoke-LcRequest", ConfirmImpact.Medium)]
        [InlineData("Add-LcContactTag", ConfirmImpact.Medium)]
        [InlineData("Remove-LcContactTag", ConfirmImpact.Medium)]
        [InlineData("New-LcContactNote", ConfirmImpact.Medium)]
        [InlineData("Set-LcContactNote", ConfirmImpact.Medium)]
        [InlineData("Remove-LcContactNote", ConfirmImpact.Medium)]
        [InlineData("Add-LcContactToWorkflow", ConfirmImpact.Medium)]
        [InlineData("Remove-LcContactFromWorkflow", ConfirmImpact.Medium)]
        [InlineData("New-LcCustomSubtype", ConfirmImpact.Medium)]
        [InlineData("Set-LcCustomSubtype", ConfirmImpact.Medium)]
        [InlineData("Set-LcContactSubscription", ConfirmImpact.High)]
        [InlineData("Send-LcReviewReply", ConfirmImpact.Medium)]
        [InlineData("Send-LcTypingIndicator", ConfirmImpact.Low)]
        [InlineData("Save-LcConnection", ConfirmImpact.Medium)]
        [InlineData("Remove-LcConnection", ConfirmImpact.High)]
        public void State_changing_cmdlets_support_ShouldProcess(string name, ConfirmImpact impact)
        {
            var c = Cmdlet(name);
            Assert.True(Attr(c).SupportsShouldProcess);
            Assert.Equal(impact, Attr(c).ConfirmImpact);
            Assert.Contains("WhatIf", c.Parameters.Keys);
            Assert.Contains("Confirm", c.Parameters.Keys);
            Assert.Contains("[-WhatIf] [-Confirm]", _m.Session.Run("Get-Command $n -Syntax", ("n", name)).Output[0].ToString());
        }

        [Theory]
        [InlineData("Get-LcConversation")]
        [InlineData("Get-LcEmailMessage")]
        [InlineData("Get-LcConnection")]
        [InlineData("Get-LcMessage")]
        [InlineData("Get-LcContact")]
        [InlineData("Get-LcContactNote")]
        public void Read_only_cmdlets_do_not_claim_ShouldProcess(string name)
        {
            Assert.False(Attr(Cmdlet(name)).SupportsShouldProcess);
            Assert.DoesNotContain("WhatIf", Cmdlet(name).Parameters.Keys);
        }

        [Theory]
        [InlineData("Connect-Lc", "LeadConnector.Connection")]
        [InlineData("Get-LcConnection", "LeadConnector.Connection")]
        [InlineData("New-LcConversation", "LeadConnector.Conversation")]
        [InlineData("Get-LcConversation", "LeadConnector.Conversation")]
        [InlineData("Set-LcConversation", "LeadConnector.Conversation")]
        [InlineData("Get-LcEmailMessage", "LeadConnector.EmailMessage")]
        [InlineData("Get-LcMessage", "LeadConnector.Message")]
        [InlineData("Send-LcMessage", "LeadConnector.SendResult")]
        [InlineData("Get-LcContact", "LeadConnector.Contact")]
        [InlineData("Add-LcContactTag", "LeadConnector.ContactTags")]
        [InlineData("Remove-LcContactTag", "LeadConnector.ContactTags")]
        [InlineData("Get-LcContactNote", "LeadConnector.ContactNote")]
        [InlineData("New-LcContactNote", "LeadConnector.ContactNote")]
        [InlineData("Set-LcContactNote", "LeadConnector.ContactNote")]
        [InlineData("Save-LcConnection", "LeadConnector.SavedConnectionInfo")]
        public void Output_types_are_declared(string name, string type) =>
            Assert.Contains(type, Cmdlet(name).OutputType.Select(t => t.Name));

        [Theory]
        [InlineData("New-LcConversation")]
        [InlineData("Get-LcConversation")]
        [InlineData("Set-LcConversation")]
        [InlineData("Remove-LcConversation")]
        [InlineData("Get-LcEmailMessage")]
        [InlineData("Get-LcMessage")]
        [InlineData("Send-LcMessage")]
        [InlineData("Get-LcContact")]
        [InlineData("Invoke-LcRequest")]
        [InlineData("Add-LcContactTag")]
        [InlineData("Remove-LcContactTag")]
        [InlineData("Get-LcContactNote")]
        [InlineData("New-LcContactNote")]
        [InlineData("Set-LcContactNote")]
        [InlineData("Remove-LcContactNote")]
        [InlineData("Add-LcContactToWorkflow")]
        [InlineData("Remove-LcContactFromWorkflow")]
        public void Api_cmdlets_take_a_Connection(string name)
        {
            var p = Param(Cmdlet(name), "Connection");
            Assert.Equal("LeadConnector.Connection", p.ParameterType.FullName);
            var set = Assert.Single(p.ParameterSets);
            Assert.Equal(AllSets, set.Key);
            // By property name only (issue 19): a piped id or object may carry its own connection (an agency sweep).
            Assert.False(set.Value.ValueFromPipeline);
            Assert.True(set.Value.ValueFromPipelineByPropertyName);
        }

        [Theory]
        [MemberData(nameof(AllCmdlets))]
        public void Connection_and_ThrottleLimit_are_declared_only_in_the_base_classes(string name)
        {
            var type = Cmdlet(name).ImplementingType;
            foreach (var parameter in new[] { "Connection", "ThrottleLimit" })
                if (type.GetProperty(parameter) is PropertyInfo p)
                    Assert.True(p.DeclaringType != type && p.DeclaringType!.IsAbstract, $"{name} declares -{parameter} itself");
        }

        [Theory]
        [MemberData(nameof(AllCmdlets))]
        public void Every_API_cmdlet_that_takes_pipeline_input_has_ThrottleLimit_in_every_set(string name)
        {
            var c = Cmdlet(name);
            // -Connection itself binds by property name on every connected cmdlet (a record may carry its connection): it
            // does not make a cmdlet one that takes records.
            bool piped = c.Parameters.Values.Any(p => p.Name != "Connection" && p.ParameterSets.Values.Any(s => s.ValueFromPipeline || s.ValueFromPipelineByPropertyName));
            if (!piped || !c.Parameters.ContainsKey("Connection")) return;
            var limit = Param(c, "ThrottleLimit");
            Assert.Equal("System.Int32", limit.ParameterType.FullName);
            Assert.Equal(AllSets, Assert.Single(limit.ParameterSets).Key);
        }

        [Fact]
        public void Output_type_names_are_the_documented_PSTypeNames()
        {
            var r = _m.Session.Run("(Get-Command Get-LcConversation).OutputType.Type.FullName; (Get-Command Get-LcEmailMessage).OutputType.Type.FullName; (Get-Command Get-LcConnection).OutputType.Type.FullName");
            Assert.Equal(new[] { "LeadConnector.Conversation", "LeadConnector.EmailMessage", "LeadConnector.Connection" }, r.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void Connect_has_an_AccessToken_default_set_and_Credential_Secret_OAuth_and_Agency_sets()
        {
            var c = Cmdlet("Connect-Lc");
            Assert.Equal("AccessToken", c.DefaultParameterSet);
            Assert.Equal(new[] { "AccessToken", "Agency", "Credential", "Name", "OAuth", "Secret" }, c.ParameterSets.Select(s => s.Name).OrderBy(n => n, StringComparer.Ordinal));
            Assert.True(Param(c, "Name").ParameterSets["Name"].IsMandatory);
            Assert.Equal("Name", Assert.Single(Param(c, "Name").ParameterSets).Key);
            // Each sign-in source is mandatory in its own set only.
            Assert.True(Param(c, "SecretName").ParameterSets["Secret"].IsMandatory);
            Assert.False(Param(c, "Vault").ParameterSets["Secret"].IsMandatory);
            Assert.True(Param(c, "ClientId").ParameterSets["OAuth"].IsMandatory);
            Assert.True(Param(c, "ClientSecret").ParameterSets["OAuth"].IsMandatory);
            Assert.False(Param(c, "RefreshToken").ParameterSets["OAuth"].IsMandatory); // or -RefreshTokenPath
            Assert.False(Param(c, "RefreshTokenPath").ParameterSets["OAuth"].IsMandatory);
            Assert.True(Param(c, "AgencyToken").ParameterSets["Agency"].IsMandatory);
            Assert.True(Param(c, "CompanyId").ParameterSets["Agency"].IsMandatory);
            foreach (var secret in new[] { "ClientSecret", "RefreshToken", "AgencyToken" })
                Assert.Equal(typeof(System.Security.SecureString), Param(c, secret).ParameterType);
            var location = Param(c, "LocationId");
            Assert.Equal(new[] { "AccessToken", "Agency", "Credential", "OAuth", "Secret" }, location.ParameterSets.Keys.OrderBy(n => n, StringComparer.Ordinal));
            Assert.Equal(new[] { "Agency" }, location.ParameterSets.Where(p => p.Value.IsMandatory).Select(p => p.Key));
            var token = Param(c, "AccessToken");
            var tokenSet = Assert.Single(token.ParameterSets);
            Assert.Equal("AccessToken", tokenSet.Key);
            Assert.False(tokenSet.Value.IsMandatory); // no token: read LC_ACCESS_TOKEN
            Assert.Equal(0, tokenSet.Value.Position);
            Assert.Equal(typeof(System.Security.SecureString), token.ParameterType);
            Assert.Contains(token.Attributes, a => a.GetType().FullName == "LeadConnector.Commands.SecureStringTransformationAttribute");
            var cred = Param(c, "Credential");
            Assert.Equal("Credential", Assert.Single(cred.ParameterSets).Key);
            Assert.True(cred.ParameterSets["Credential"].IsMandatory);
            Assert.Equal(typeof(PSCredential), cred.ParameterType);
            foreach (var n in new[] { "BaseUri", "ApiVersion", "MaxRetries", "MaxRetryTimeSec", "RetryDelaySec", "TimeoutSec", "PassThru" })
                Assert.Equal(AllSets, Assert.Single(Param(c, n).ParameterSets).Key);
            Assert.Equal(typeof(double), Param(c, "RetryDelaySec").ParameterType);
            var range = Param(c, "RetryDelaySec").Attributes.OfType<ValidateRangeAttribute>().Single();
            Assert.Equal(0.001, range.MinRange);
            Assert.Equal(60.0, range.MaxRange);
        }

        [Fact]
        public void New_binds_a_contact_by_value_and_ContactId_by_what_comes_with_the_Id_alias_and_LocationId()
        {
            var c = Cmdlet("New-LcConversation");
            // The typed set is the default: PowerShell tries it first, so a contact never reaches -ContactId as a string.
            Assert.Equal("Contact", c.DefaultParameterSet);
            Assert.True(Param(c, "Contact").ParameterSets["Contact"].ValueFromPipeline);
            var contact = Param(c, "ContactId").ParameterSets["ById"];
            Assert.True(contact.IsMandatory);
            Assert.True(contact.ValueFromPipeline);
            Assert.True(contact.ValueFromPipelineByPropertyName);
            Assert.Contains(Param(c, "ContactId").Attributes, a => a.GetType().Name == "LcIdAttribute");
            Assert.Contains("Id", Param(c, "ContactId").Aliases);
            Assert.True(Param(c, "LocationId").ParameterSets[AllSets].ValueFromPipelineByPropertyName);
        }

        [Fact]
        public void Get_conversation_has_Search_default_and_ById_with_pipeline_binding()
        {
            var c = Cmdlet("Get-LcConversation");
            Assert.Equal("Search", c.DefaultParameterSet);
            var id = Param(c, "Id");
            var byId = Assert.Single(id.ParameterSets);
            Assert.Equal("ById", byId.Key);
            Assert.True(byId.Value.IsMandatory && byId.Value.ValueFromPipeline && byId.Value.ValueFromPipelineByPropertyName);
            Assert.Equal(0, byId.Value.Position);
            Assert.Equal(typeof(string[]), id.ParameterType);
            Assert.Contains("ConversationId", id.Aliases);
            var search = new[] { "LocationId", "ContactId", "AssignedTo", "Query", "Status", "LastMessageType", "LastMessageDirection", "Sort", "SortBy", "StartDate", "EndDate", "First", "All", "PageSize" };
            foreach (var n in search)
            {
                var set = Assert.Single(Param(c, n).ParameterSets);
                Assert.Equal("Search", set.Key);
                // Search parameters never bind from the pipeline, so piped input can only ever mean -Id: no ambiguity.
                Assert.False(set.Value.ValueFromPipeline || set.Value.ValueFromPipelineByPropertyName, n);
            }
            Assert.Equal(new[] { "all", "read", "unread", "starred", "recents" }, ValidateSet(c, "Status"));
            Assert.Equal(new[] { "inbound", "outbound" }, ValidateSet(c, "LastMessageDirection"));
            Assert.Equal(new[] { "asc", "desc" }, ValidateSet(c, "Sort"));
        }

        [Fact]
        public void Set_binds_a_conversation_by_value_and_takes_changes_by_name_only_from_plain_rows()
        {
            var c = Cmdlet("Set-LcConversation");
            Assert.Equal("Conversation", c.DefaultParameterSet);
            Assert.True(Param(c, "Conversation").ParameterSets["Conversation"].ValueFromPipeline);
            Assert.True(Param(c, "Id").ParameterSets["ById"].ValueFromPipeline);
            Assert.True(Param(c, "Id").ParameterSets["ById"].ValueFromPipelineByPropertyName);
            Assert.True(Param(c, "Id").ParameterSets["ById"].IsMandatory);
            Assert.Contains("ConversationId", Param(c, "Id").Aliases);
            Assert.True(Param(c, "LocationId").ParameterSets[AllSets].ValueFromPipelineByPropertyName);
            // A piped conversation has UnreadCount and Starred properties: they must not silently become changes, so
            // they bind by name only in the ById set (CSV rows), never in the Conversation set.
            foreach (var n in new[] { "UnreadCount", "Starred" })
            {
                Assert.True(Param(c, n).ParameterSets["ById"].ValueFromPipelineByPropertyName, n);
                Assert.False(Param(c, n).ParameterSets["Conversation"].ValueFromPipelineByPropertyName, n);
            }
            foreach (var n in new[] { "Feedback", "PassThru" })
                Assert.False(Param(c, n).ParameterSets[AllSets].ValueFromPipelineByPropertyName, n);
            Assert.Equal(typeof(bool?), Param(c, "Starred").ParameterType);
            Assert.Equal(typeof(int?), Param(c, "UnreadCount").ParameterType);
        }

        [Theory]
        [InlineData("Remove-LcConversation", "ConversationId")]
        [InlineData("Get-LcEmailMessage", "EmailMessageId")]
        public void Id_binds_by_value_and_property_name(string name, string alias)
        {
            var id = Param(Cmdlet(name), "Id");
            var set = id.ParameterSets[AllSets];
            Assert.True(set.IsMandatory && set.ValueFromPipeline && set.ValueFromPipelineByPropertyName);
            Assert.Contains(alias, id.Aliases);
        }

        [Fact]
        public void Remove_has_Force() =>
            Assert.Equal(typeof(SwitchParameter), Param(Cmdlet("Remove-LcConversation"), "Force").ParameterType);

        [Theory]
        [MemberData(nameof(AllCmdlets))]
        public void Each_parameter_set_has_at_most_one_parameter_per_position_and_one_by_value_pipeline_parameter(string name)
        {
            foreach (var set in Cmdlet(name).ParameterSets)
            {
                var positions = set.Parameters.Where(p => p.Position >= 0).Select(p => p.Position).ToList();
                Assert.Equal(positions.Count, positions.Distinct().Count());
                Assert.True(set.Parameters.Count(p => p.ValueFromPipeline) <= 1, $"{name} {set.Name}");
            }
        }

        [Fact]
        public void Manifest_exports_exactly_the_cmdlets_of_the_module()
        {
            var listed = ((object[])_m.Manifest["CmdletsToExport"]!).Select(o => o.ToString()!).OrderBy(s => s, StringComparer.Ordinal);
            Assert.Equal(Names, listed);
            Assert.Equal(Names, _m.Exported.OrderBy(s => s, StringComparer.Ordinal));
            foreach (var key in new[] { "FunctionsToExport", "AliasesToExport", "VariablesToExport" })
                Assert.Empty((object[])_m.Manifest[key]!);
            Assert.Equal("bin/LeadConnector.dll", _m.Manifest["RootModule"]);
            // The module the tests import is the built layout, with the cmdlet assembly under bin/.
            Assert.Equal(Path.Combine(Path.GetDirectoryName(PsSession.ModuleManifest)!, "bin", "LeadConnector.dll"),
                Path.GetFullPath(Cmdlet("Connect-Lc").ImplementingType.Assembly.Location));
            Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(PsSession.ModuleManifest)!, "bin", "System.Management.Automation.dll")));
        }

        /// <summary>
        /// A parameter with both a ValidateSet and a completer listing values (ValueListCompleter) offers what it accepts:
        /// the ValidateSet literals (attributes need constants) and the completer's list (ApiValues, MessageTypeNames)
        /// must not drift apart.
        /// </summary>
        [Fact]
        public void Validate_sets_equal_the_values_their_completers_offer()
        {
            var checkedParameters = new List<string>();
            foreach (var name in _m.Exported)
            {
                var c = Cmdlet(name);
                foreach (var p in c.Parameters.Values)
                {
                    var set = p.Attributes.OfType<ValidateSetAttribute>().SingleOrDefault();
                    var completerType = p.Attributes.OfType<ArgumentCompleterAttribute>().Select(a => a.Type).SingleOrDefault(IsValueListCompleter);
                    if (set == null || completerType == null) continue;
                    var completer = (IArgumentCompleter)Activator.CreateInstance(completerType)!;
                    var offered = completer.CompleteArgument(name, p.Name, "", null!, new Hashtable()).Select(r => r.ListItemText).ToList();
                    Assert.True(set.ValidValues.OrderBy(v => v, StringComparer.Ordinal).SequenceEqual(offered.OrderBy(v => v, StringComparer.Ordinal)),
                        $"{name} -{p.Name}: ValidateSet [{string.Join(", ", set.ValidValues)}] but {completerType.Name} offers [{string.Join(", ", offered)}]");
                    checkedParameters.Add(name + " -" + p.Name);
                }
            }
            // Not vacuous: the parameters known to have both are among those checked.
            foreach (var known in new[] { "Get-LcConversation -Status", "Get-LcConversation -Sort", "Get-LcConversation -SortBy", "Get-LcConversation -LastMessageDirection", "Send-LcMessage -Type" })
                Assert.Contains(known, checkedParameters);
        }

        private static bool IsValueListCompleter(Type? type)
        {
            for (var t = type; t != null; t = t.BaseType)
                if (t.FullName == "LeadConnector.Commands.ValueListCompleter") return true;
            return false;
        }

        [Fact]
        public void Format_views_exist_for_each_output_type_and_name_real_properties()
        {
            var xml = System.Xml.Linq.XDocument.Load(Path.Combine(RepoRoot(), "LeadConnector.Format.ps1xml"));
            var typeData = System.Xml.Linq.XDocument.Load(Path.Combine(RepoRoot(), "LeadConnector.Types.ps1xml"));
            foreach (var name in new[] { "Get-LcConversation", "Get-LcEmailMessage", "Get-LcConnection" })
            {
                var type = Cmdlet(name).OutputType.Single().Type;
                // Properties the types file adds (alias and script properties) are real properties too.
                var added = typeData.Descendants("Type").Where(t => t.Element("Name")!.Value == type.FullName)
                    .SelectMany(t => t.Descendants().Where(e => e.Name.LocalName is "AliasProperty" or "ScriptProperty" or "NoteProperty"))
                    .Select(e => e.Element("Name")!.Value).ToHashSet();
                var views = xml.Descendants("View").Where(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == type.FullName).ToList();
                Assert.NotEmpty(views);
                foreach (var prop in views.SelectMany(v => v.Descendants("PropertyName")).Select(p => p.Value))
                    Assert.True(type.GetProperty(prop) != null || added.Contains(prop), $"{type.FullName} has no property {prop}");
            }
        }

        [Theory]
        [MemberData(nameof(AllCmdlets))]
        public void Every_cmdlet_has_a_docs_page_with_every_parameter_and_two_examples(string name)
        {
            var path = Path.Combine(RepoRoot(), "docs", name + ".md");
            Assert.True(File.Exists(path), path);
            var md = File.ReadAllText(path);
            foreach (var p in Declared(Cmdlet(name)))
                Assert.Contains("### -" + p, md);
            if (Attr(Cmdlet(name)).SupportsShouldProcess)
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

        internal static string RepoRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "LeadConnector.psd1"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repo root not found");
        }
    }
}
