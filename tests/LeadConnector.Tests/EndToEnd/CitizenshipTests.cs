using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LeadConnector.Emulator;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.EndToEnd
{
    /// <summary>Tab completion, the API's spelling of values typed in any case, and progress, in a real runspace.</summary>
    [Collection("Emulator")]
    public class CitizenshipTests : IDisposable
    {
        private readonly EmulatorFixture _emu;
        private readonly PsSession _ps = new PsSession();

        public CitizenshipTests(EmulatorFixture emu)
        {
            _emu = emu;
            _emu.Reset();
        }

        public void Dispose() => _ps.Dispose();

        /// <summary>The completion texts PowerShell offers with the cursor at the end of <paramref name="line"/>.</summary>
        private List<string> Complete(string line)
        {
            var rec = _ps.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText", ("line", line));
            Assert.Null(rec.Terminating);
            Assert.Empty(rec.Errors);
            return rec.Output.Select(o => o.ToString()).ToList();
        }

        // ---- completers

        [Fact]
        public void LocationId_of_an_API_command_completes_only_the_location_of_the_connection_it_will_use()
        {
            _ps.Connect(_emu, Seed.AlphaToken, Seed.AlphaLocation);
            Assert.Null(_ps.Run("$global:alphaConnection = Get-LcConnection").Terminating);
            _ps.Connect(_emu, Seed.BetaToken, Seed.BetaLocation);
            foreach (var cmd in new[] { "Get-LcConversation", "Get-LcContact", "New-LcConversation -ContactId c1", "Set-LcConversation -Id conv-a001" })
            {
                // The current connection's token is refused (403) for any other location: only its own is offered.
                Assert.Equal(new[] { Seed.BetaLocation }, Complete(cmd + " -LocationId "));
                // With -Connection typed first, that connection's location.
                Assert.Equal(new[] { Seed.AlphaLocation }, Complete(cmd + " -Connection $alphaConnection -LocationId "));
            }
            Assert.Equal(new[] { Seed.BetaLocation }, Complete("Get-LcConversation -LocationId LOC-B"));
            Assert.Equal(new[] { "'" + Seed.BetaLocation + "'" }, Complete("Get-LcConversation -LocationId 'loc-b"));
            Assert.Empty(Complete("Get-LcConversation -LocationId loc-a"));
        }

        [Fact]
        public void LocationId_of_Connect_Lc_completes_the_current_location_first_then_the_other_connected_ones()
        {
            _ps.Connect(_emu, Seed.AlphaToken, Seed.AlphaLocation);
            _ps.Connect(_emu, Seed.BetaToken, Seed.BetaLocation);
            var all = Complete("Connect-Lc -AccessToken x -LocationId ");
            Assert.Equal(Seed.BetaLocation, all[0]); // the current connection's
            Assert.Contains(Seed.AlphaLocation, all);
        }

        [Theory]
        [InlineData("Get-LcConversation -Status u", "unread")]
        [InlineData("Get-LcConversation -Status R", "read,recents")]
        [InlineData("Get-LcConversation -Sort D", "desc")]
        [InlineData("Get-LcConversation -SortBy last", "last_manual_message_date,last_message_date")]
        [InlineData("Get-LcConversation -LastMessageDirection OUT", "outbound")]
        [InlineData("Get-LcConversation -LastMessageType type_wh", "TYPE_WHATSAPP")]
        [InlineData("Get-LcConversation -LastMessageType custom_p", "TYPE_CUSTOM_PROVIDER_SMS,TYPE_CUSTOM_PROVIDER_EMAIL")]
        [InlineData("Get-LcMessage -ConversationId conv-a001 -Type sm", "TYPE_SMS")]
        [InlineData("Send-LcMessage -ContactId c1 -Type w", "WhatsApp")]
        [InlineData("Send-LcMessage -ContactId c1 -Type live", "Live_Chat")]
        public void Enum_like_parameters_complete_their_values_by_prefix_in_any_case(string line, string expected)
        {
            Assert.Equal(expected.Split(','), Complete(line));
        }

        [Fact]
        public void LastMessageType_completes_every_value_of_the_search_enum()
        {
            var all = Complete("Get-LcConversation -LastMessageType ");
            Assert.Equal(42, all.Count);
            Assert.All(all, v => Assert.StartsWith("TYPE_", v));
            Assert.Contains("TYPE_SMS_REACTION", all);
            Assert.Contains("TYPE_INTERNAL_COMMENT", all);
        }

        [Fact]
        public void A_value_typed_with_a_quote_completes_with_the_same_quote()
        {
            Assert.Equal(new[] { "'unread'" }, Complete("Get-LcConversation -Status 'un"));
            Assert.Equal(new[] { "\"desc\"" }, Complete("Get-LcConversation -Sort \"de"));
        }

        // ---- any case in, the API's spelling out

        [Fact]
        public void Values_typed_in_any_case_are_sent_in_the_APIs_spelling()
        {
            _ps.Connect(_emu);
            _emu.Reset();
            var rec = _ps.Run("Get-LcConversation -Status UNREAD -Sort DESC -SortBy LAST_MESSAGE_DATE -LastMessageDirection Inbound -LastMessageType type_sms -First 1");
            Assert.Null(rec.Terminating);
            Assert.Empty(rec.Errors);
            var q = Assert.Single(_emu.Requests()).QueryString;
            Assert.Contains("status=unread", q);
            Assert.Contains("sort=desc", q);
            Assert.Contains("sortBy=last_message_date", q);
            Assert.Contains("lastMessageDirection=inbound", q);
            Assert.Contains("lastMessageType=TYPE_SMS", q);
        }

        [Fact]
        public void LastMessageType_takes_the_name_without_its_prefix_and_still_refuses_a_bad_value()
        {
            _ps.Connect(_emu);
            _emu.Reset();
            var rec = _ps.Run("Get-LcConversation -LastMessageType email -First 1");
            Assert.Null(rec.Terminating);
            Assert.Contains("lastMessageType=TYPE_EMAIL", Assert.Single(_emu.Requests()).QueryString);

            _emu.Reset();
            var bad = _ps.Run("Get-LcConversation -LastMessageType 'sms; drop' -First 1");
            Assert.NotNull(bad.Terminating);
            // Refused at binding against the API's list (a short message, not a pattern or a 42-value set).
            Assert.StartsWith("ParameterArgumentTransformationError", bad.Terminating!.FullyQualifiedErrorId);
            Assert.Contains("is not one of the API's values", bad.Terminating.Exception.Message);
            Assert.Empty(_emu.Requests());
        }

        // ---- progress

        [Fact]
        public void An_array_of_ids_shows_n_of_total_and_completes()
        {
            _ps.Connect(_emu);
            var rec = _ps.Run("Get-LcConversation -Id conv-a001, conv-a002, conv-a003");
            Assert.Equal(3, rec.Output.Count);
            var processing = rec.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).Select(p => p.StatusDescription).ToList();
            Assert.Equal(new[] { "1 of 3: conv-a001", "2 of 3: conv-a002", "3 of 3: conv-a003" }, processing);
            Assert.Equal(ProgressRecordType.Completed, rec.Progress.Last().RecordType);
            Assert.Single(rec.Progress, p => p.RecordType == ProgressRecordType.Completed);
        }

        [Fact]
        public void Piped_ids_and_a_single_id_show_no_progress()
        {
            _ps.Connect(_emu);
            Assert.Empty(_ps.Run("'conv-a001', 'conv-a002' | Get-LcConversation").Progress);
            Assert.Empty(_ps.Run("Get-LcContact -Id contact-a001").Progress);
        }

        [Theory]
        [InlineData("Get-LcConversation -All -PageSize 20", "Get-LcConversation", "of 45 conversations")]
        [InlineData("Get-LcContact -All -PageSize 20", "Get-LcContact", " contacts")]
        [InlineData("Get-LcMessage -ConversationId conv-a001 -All -PageSize 50", "Get-LcMessage", " messages")]
        [InlineData("Get-LcMessage -ConversationId conv-a001 -First 120 -PageSize 50", "Get-LcMessage", "of 120 messages")]
        public void Paging_with_All_or_First_writes_the_count_and_completes(string script, string activity, string expected)
        {
            _ps.Connect(_emu);
            var rec = _ps.Run(script);
            Assert.Empty(rec.Errors);
            var processing = rec.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).ToList();
            Assert.NotEmpty(processing);
            Assert.All(rec.Progress, p => Assert.Equal(activity, p.Activity));
            Assert.All(processing, p => Assert.Matches(@"^(Conversation conv-a001, page|Page) \d+: \d+", p.StatusDescription));
            Assert.Contains(processing, p => p.StatusDescription.EndsWith(expected, StringComparison.Ordinal));
            Assert.Equal(ProgressRecordType.Completed, rec.Progress.Last().RecordType);
        }

        [Fact]
        public void ProgressPreference_SilentlyContinue_hides_every_record()
        {
            _ps.Connect(_emu);
            var rec = _ps.Run("$ProgressPreference = 'SilentlyContinue'; Get-LcConversation -All; Get-LcConversation -Id conv-a001, conv-a002");
            Assert.Equal(47, rec.Output.Count);
            Assert.Empty(rec.Progress);
        }

        [Fact]
        public void A_stopped_command_writes_no_record_after_the_stop_and_leaves_the_host_to_clear_the_bar()
        {
            _ps.Connect(_emu);
            _emu.Reset();
            _emu.State.Faults.Add(new FaultRule { Method = "GET", PathPrefix = "/conversations/conv-a002", Kind = FaultKind.Delay, DelayMs = 30_000 });
            // Ctrl+C once conv-a001 is out and all three have their record; conv-a002 is held 30 s, so nothing else can be due.
            var rec = _ps.RunAndStop("Get-LcConversation -Id conv-a001, conv-a002, conv-a003", null,
                live => live.Output.Length >= 1 && live.Progress.Length >= 3, "conv-a001 to be written and the three progress records");
            Assert.NotNull(rec.Stopped);
            Assert.Single(rec.Output);
            // PowerShell refuses every write once the pipeline is stopping (WriteProgress throws PipelineStoppedException),
            // so the Completed record cannot be written; the bar ends with the pipeline, and the host clears it.
            // The three requests start at once (-ThrottleLimit 8), so each has its record before the stop; none comes after.
            Assert.Equal(new[] { "1 of 3: conv-a001", "2 of 3: conv-a002", "3 of 3: conv-a003" }, rec.Progress.Select(p => p.StatusDescription));
        }
    }
}
