using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using LeadConnector.Commands;
using LeadConnector.Emulator;
using LeadConnector.Tests.Infrastructure;

namespace LeadConnector.Tests.EndToEnd
{
    /// <summary>Each conversation cmdlet's behaviour, through the cmdlet layer, against the emulator over loopback.</summary>
    [Collection("Emulator")]
    public class ConversationCmdletTests
    {
        private readonly EmulatorFixture _emu;
        private readonly Connection _alpha;

        public ConversationCmdletTests(EmulatorFixture emu)
        {
            _emu = emu;
            _emu.Reset();
            _alpha = emu.Connect();
        }

        private RecordedRequest[] Api() => _emu.Requests();

        // ---- Get-LcConversation -Id

        [Fact]
        public void Get_by_id_returns_a_typed_conversation_with_utc_dates()
        {
            var rec = CmdletHarness.Run(new GetLcConversationCommand { Id = new[] { "conv-a001" }, Connection = _alpha });
            var c = Assert.Single(rec.OutputOf<Conversation>());
            Assert.Equal("conv-a001", c.Id);
            Assert.Equal(Seed.AlphaLocation, c.LocationId);
            Assert.Equal("contact-a001", c.ContactId);
            Assert.NotNull(c.Type);
            Assert.NotEqual(ConversationType.Unknown, c.Type);
            Assert.Equal(TimeSpan.Zero, c.DateAdded!.Value.Offset);
            Assert.Equal(TimeSpan.Zero, c.LastMessageDate!.Value.Offset);
            Assert.True(c.LastMessageDate > c.DateAdded);
            Assert.Empty(rec.Errors);
            var r = Assert.Single(Api());
            Assert.Equal("/conversations/conv-a001", r.Path);
            Assert.Equal("2021-07-28", r.Header("Version"));
        }

        [Fact]
        public void One_failing_id_writes_a_non_terminating_error_and_the_pipeline_goes_on()
        {
            var rec = CmdletHarness.Run(new GetLcConversationCommand { Connection = _alpha }, null,
                c => c.Id = new[] { "conv-a001" }, c => c.Id = new[] { "conv-missing" }, c => c.Id = new[] { "conv-a003" });
            Assert.Equal(new[] { "conv-a001", "conv-a003" }, rec.OutputOf<Conversation>().Select(c => c.Id));
            var e = Assert.Single(rec.Errors);
            Assert.Equal("ApiNotFound", e.ErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, e.Category);
            Assert.Equal("conv-missing", e.Target);
            var ex = Assert.IsType<LcException>(e.Exception);
            Assert.Equal(404, ex.StatusCode);
            Assert.Contains("HTTP 404", e.Message);
            Assert.Contains("traceId", e.Message);
            Assert.NotNull(ex.TraceId);
            Assert.Null(rec.Terminating);
        }

        [Theory]
        [InlineData("..")]
        [InlineData("a/b")]
        [InlineData("a?b=1")]
        [InlineData("a#b")]
        [InlineData("%2e%2e")]
        [InlineData(" ")]
        [InlineData("a\nb")]
        public void Ids_that_could_change_the_request_are_refused_and_nothing_is_sent(string id)
        {
            var rec = CmdletHarness.Run(new GetLcConversationCommand { Id = new[] { id, "conv-a002" }, Connection = _alpha });
            var e = Assert.Single(rec.Errors);
            Assert.Equal("InvalidId", e.ErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, e.Category);
            Assert.Equal("conv-a002", Assert.Single(rec.OutputOf<Conversation>()).Id);
            Assert.Equal("/conversations/conv-a002", Assert.Single(Api()).Path);
        }

        [Fact]
        public void Another_locations_token_gets_PermissionDenied()
        {
            var beta = _emu.Connect(Seed.BetaToken, Seed.BetaLocation);
            var rec = CmdletHarness.Run(new GetLcConversationCommand { Id = new[] { "conv-a001" }, Connection = beta });
            var e = Assert.Single(rec.Errors);
            Assert.Equal("ApiForbidden", e.ErrorId);
            Assert.Equal(ErrorCategory.PermissionDenied, e.Category);
        }

        [Fact]
        public void A_bad_token_stops_the_pipeline_with_an_authentication_error()
        {
            var bad = _emu.Connect("pit-not-a-real-token");
            var rec = CmdletHarness.Run(new GetLcConversationCommand { Connection = bad }, null,
                c => c.Id = new[] { "conv-a001" }, c => c.Id = new[] { "conv-a002" });
            Assert.Equal("ApiUnauthorized", rec.Terminating!.ErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, rec.Terminating.Category);
            Assert.Contains("Invalid token", rec.Terminating.Message);
            Assert.Single(Api()); // the second record never ran
        }

        [Fact]
        public void Two_connections_work_side_by_side()
        {
            var beta = _emu.Connect(Seed.BetaToken, Seed.BetaLocation);
            var a = CmdletHarness.Run(new GetLcConversationCommand { Connection = _alpha, AllFlag = true });
            var b = CmdletHarness.Run(new GetLcConversationCommand { Connection = beta, AllFlag = true });
            Assert.All(a.OutputOf<Conversation>(), c => Assert.Equal(Seed.AlphaLocation, c.LocationId));
            Assert.All(b.OutputOf<Conversation>(), c => Assert.Equal(Seed.BetaLocation, c.LocationId));
            Assert.Equal(3, b.Output.Count);
        }

        // ---- Get-LcConversation search

        [Fact]
        public void Search_without_All_or_First_returns_the_first_page_and_warns_how_many_more_match()
        {
            var rec = CmdletHarness.Run(new GetLcConversationCommand { Connection = _alpha });
            Assert.Equal(20, rec.Output.Count);
            var w = Assert.Single(rec.Warnings);
            Assert.Contains("45", w);
            Assert.Contains("25 more", w);
            Assert.Contains("-All", w);
            var r = Assert.Single(Api());
            Assert.Equal("/conversations/search", r.Path);
            Assert.Contains("locationId=loc-alpha", r.QueryString);
            Assert.All(rec.OutputOf<Conversation>(), c => Assert.NotNull(c.Type));
        }

        [Fact]
        public void All_streams_every_page_with_the_cursor_and_reports_progress()
        {
            var rec = CmdletHarness.Run(new GetLcConversationCommand { Connection = _alpha, AllFlag = true });
            var ids = rec.OutputOf<Conversation>().Select(c => c.Id).ToList();
            Assert.Equal(45, ids.Count);
            Assert.Equal(45, ids.Distinct().Count());
            Assert.Empty(rec.Warnings);
            var requests = Api();
            Assert.Equal(3, requests.Length);
            Assert.DoesNotContain("startAfterDate", requests[0].QueryString);
            Assert.Contains("startAfterDate=", requests[1].QueryString);
            Assert.Contains(rec.Progress, p => !p.Completed && p.Status.Contains("of 45"));
            Assert.True(rec.Progress.Last().Completed);
            // newest first, like the API
            var dates = rec.OutputOf<Conversation>().Select(c => c.LastMessageDate!.Value).ToList();
            Assert.Equal(dates.OrderByDescending(d => d), dates);
        }

        [Fact]
        public void First_stops_after_N_and_asks_only_for_N()
        {
            var rec = CmdletHarness.Run(new GetLcConversationCommand { Connection = _alpha, First = 5 });
            Assert.Equal(5, rec.Output.Count);
            Assert.Contains("limit=5", Assert.Single(Api()).QueryString);
            Assert.Empty(rec.Warnings);
        }

        [Fact]
        public void PageSize_sets_the_limit()
        {
            var rec = CmdletHarness.Run(new GetLcConversationCommand { Connection = _alpha, PageSize = 10, AllFlag = true });
            Assert.Equal(45, rec.Output.Count);
            Assert.Equal(5, Api().Length);
            Assert.All(Api(), r => Assert.Contains("limit=10", r.QueryString));
        }

        [Fact]
        public void All_and_First_together_are_refused()
        {
            var rec = CmdletHarness.Run(new GetLcConversationCommand { Connection = _alpha, AllFlag = true, First = 3 });
            Assert.Equal("ConflictingParameters", rec.Terminating!.ErrorId);
            Assert.Empty(Api());
        }

        [Fact]
        public void Filters_reach_the_api_and_narrow_the_results()
        {
            var rec = CmdletHarness.Run(new GetLcConversationCommand { Connection = _alpha, ContactId = "contact-a002", AllFlag = true });
            Assert.Equal(2, rec.Output.Count);
            Assert.All(rec.OutputOf<Conversation>(), c => Assert.Equal("contact-a002", c.ContactId));

            _emu.Reset();
            var starred = CmdletHarness.Run(new GetLcConversationCommand { Connection = _alpha, Status = "starred", AllFlag = true });
            Assert.NotEmpty(starred.Output);
            Assert.All(starred.OutputOf<Conversation>(), c => Assert.True(c.Starred));
            Assert.Contains("status=starred", Assert.Single(Api()).QueryString);

            _emu.Reset();
            var local = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            CmdletHarness.Run(new GetLcConversationCommand { Connection = _alpha, StartDate = local, Query = "a&b=c" });
            var q = Assert.Single(Api()).QueryString;
            Assert.Contains("startDate=1704067200000", q);
            Assert.Contains("query=a%26b%3Dc", q);
        }

        // ---- New-LcConversation

        [Fact]
        public void New_binds_id_and_locationId_from_a_piped_object_and_creates_one_conversation_each()
        {
            var before = _emu.State.Data.ConversationCount(Seed.AlphaLocation);
            // [pscustomobject]@{ id = 'contact-a010'; locationId = 'loc-alpha' } | New-LcConversation
            var rec = CmdletHarness.Run(new NewLcConversationCommand { Connection = _alpha }, null,
                c => { c.ContactId = "contact-a010"; c.LocationId = Seed.AlphaLocation; },
                c => { c.ContactId = "contact-new"; c.LocationId = Seed.AlphaLocation; });
            var created = rec.OutputOf<Conversation>().ToList();
            Assert.Equal(2, created.Count);
            Assert.Equal("contact-a010", created[0].ContactId);
            Assert.Equal(Seed.AlphaLocation, created[0].LocationId);
            Assert.False(string.IsNullOrEmpty(created[0].Id));
            Assert.NotNull(created[0].DateAdded);
            Assert.Equal(before + 2, _emu.State.Data.ConversationCount(Seed.AlphaLocation));
            var posts = Api().Where(r => r.Method == "POST").ToList();
            Assert.Equal(2, posts.Count);
            Assert.Contains("\"contactId\":\"contact-a010\"", posts[0].Body);
            Assert.Contains(rec.ShouldProcessCalls, s => s.Target.Contains("contact-a010") && s.Action == "Create conversation");
        }

        [Fact]
        public void New_with_WhatIf_sends_nothing()
        {
            var rec = new CmdletRecorder { WhatIf = true };
            CmdletHarness.Run(new NewLcConversationCommand { Connection = _alpha, ContactId = "contact-a010" }, rec);
            Assert.Empty(rec.Output);
            Assert.Single(rec.ShouldProcessCalls);
            Assert.Empty(Api());
        }

        [Fact]
        public void New_uses_the_connections_location_by_default_and_needs_one()
        {
            CmdletHarness.Run(new NewLcConversationCommand { Connection = _alpha, ContactId = "contact-a011" });
            Assert.Contains("\"locationId\":\"loc-alpha\"", Api().Single().Body);

            var noLocation = _emu.Connect(location: null);
            var rec = CmdletHarness.Run(new NewLcConversationCommand { Connection = noLocation, ContactId = "contact-a011" });
            var e = Assert.Single(rec.Errors);
            Assert.Contains("-LocationId", e.Message);
            Assert.Single(Api());
        }

        [Fact]
        public void A_422_surfaces_every_message_of_the_array()
        {
            _emu.State.Faults.Add(new FaultRule
            {
                Method = "POST", Kind = FaultKind.Status, StatusCode = 422, ContentType = "application/json",
                Body = "{\"statusCode\":422,\"message\":[\"contactId must be a string\",\"locationId should not be empty\"],\"error\":\"Unprocessable Entity\",\"traceId\":\"t-422\"}",
            });
            var rec = CmdletHarness.Run(new NewLcConversationCommand { Connection = _alpha, ContactId = "contact-a012" });
            var e = Assert.Single(rec.Errors);
            Assert.Equal("ApiInvalidRequest", e.ErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, e.Category);
            Assert.Contains("contactId must be a string", e.Message);
            Assert.Contains("locationId should not be empty", e.Message);
            Assert.Contains("t-422", e.Message);
            Assert.Equal(2, ((LcException)e.Exception).Messages.Count);
        }

        // ---- Set-LcConversation

        [Fact]
        public void Get_by_contact_piped_to_Set_stars_each_and_PassThru_emits_the_update()
        {
            var found = CmdletHarness.Run(new GetLcConversationCommand { Connection = _alpha, ContactId = "contact-a002" }).OutputOf<Conversation>().ToList();
            Assert.Equal(2, found.Count);
            var binds = found.Select(c => (Action<SetLcConversationCommand>)(s => { s.Id = c.Id!; s.LocationId = c.LocationId; })).ToArray();
            var rec = CmdletHarness.Run(new SetLcConversationCommand { Connection = _alpha, Starred = true, PassThruFlag = true }, null, binds);
            Assert.Equal(found.Select(c => c.Id), rec.OutputOf<Conversation>().Select(c => c.Id));
            Assert.All(rec.OutputOf<Conversation>(), c => Assert.True(c.Starred));
            foreach (var c in found) Assert.True(_emu.State.Data.GetConversation(c.Id!)!.Starred);
        }

        [Fact]
        public void Set_without_PassThru_emits_nothing_and_sends_only_the_given_fields()
        {
            var feedback = new Hashtable { ["rating"] = 4 };
            var rec = CmdletHarness.Run(new SetLcConversationCommand { Connection = _alpha, Id = "conv-a005", UnreadCount = 0, Feedback = feedback });
            Assert.Empty(rec.Output);
            Assert.Empty(rec.Errors);
            var put = Assert.Single(Api());
            Assert.Equal("PUT", put.Method);
            Assert.Contains("\"unreadCount\":0", put.Body);
            Assert.Contains("\"feedback\":{\"rating\":4}", put.Body);
            Assert.DoesNotContain("starred", put.Body);
            Assert.Equal(0, _emu.State.Data.GetConversation("conv-a005")!.UnreadCount);
        }

        [Fact]
        public void Set_with_nothing_to_change_is_refused_before_sending()
        {
            var rec = CmdletHarness.Run(new SetLcConversationCommand { Connection = _alpha, Id = "conv-a005" });
            Assert.Equal("NothingToUpdate", rec.Terminating!.ErrorId);
            Assert.Empty(Api());
        }

        [Fact]
        public void Set_with_WhatIf_or_a_no_at_the_prompt_sends_nothing()
        {
            CmdletHarness.Run(new SetLcConversationCommand { Connection = _alpha, Id = "conv-a005", Starred = true }, new CmdletRecorder { WhatIf = true });
            CmdletHarness.Run(new SetLcConversationCommand { Connection = _alpha, Id = "conv-a005", Starred = true }, new CmdletRecorder { ShouldProcessAnswer = false });
            Assert.Empty(Api());
        }

        // ---- Remove-LcConversation

        [Fact]
        public void Remove_with_Force_deletes_and_a_later_get_is_not_found()
        {
            var rec = CmdletHarness.Run(new RemoveLcConversationCommand { Connection = _alpha, Id = "conv-a007", ForceFlag = true });
            Assert.Empty(rec.ShouldProcessCalls); // -Force: no prompt
            Assert.Empty(rec.Errors);
            Assert.Equal("DELETE", Assert.Single(Api()).Method);
            var get = CmdletHarness.Run(new GetLcConversationCommand { Connection = _alpha, Id = new[] { "conv-a007" } });
            Assert.Equal("ApiNotFound", Assert.Single(get.Errors).ErrorId);
        }

        [Fact]
        public void Remove_asks_first_and_a_no_deletes_nothing()
        {
            var rec = CmdletHarness.Run(new RemoveLcConversationCommand { Connection = _alpha, Id = "conv-a007" }, new CmdletRecorder { ShouldProcessAnswer = false });
            Assert.Equal(("conversation conv-a007", "Remove conversation"), Assert.Single(rec.ShouldProcessCalls));
            Assert.Empty(Api());
        }

        [Fact]
        public void Remove_with_Force_still_honours_WhatIf_and_an_explicit_Confirm()
        {
            CmdletHarness.Run(new RemoveLcConversationCommand { Connection = _alpha, Id = "conv-a007", ForceFlag = true }, new CmdletRecorder { WhatIf = true });
            var confirm = CmdletHarness.Run(new RemoveLcConversationCommand { Connection = _alpha, Id = "conv-a007", ForceFlag = true },
                new CmdletRecorder { ConfirmExplicit = true, ShouldProcessAnswer = false });
            Assert.Single(confirm.ShouldProcessCalls);
            Assert.Empty(Api());
        }

        [Fact]
        public void Remove_takes_ids_from_the_pipeline_and_goes_on_past_a_missing_one()
        {
            var rec = CmdletHarness.Run(new RemoveLcConversationCommand { Connection = _alpha, ForceFlag = true }, null,
                c => c.Id = "conv-a008", c => c.Id = "conv-nope", c => c.Id = "conv-a009");
            Assert.Equal("ApiNotFound", Assert.Single(rec.Errors).ErrorId);
            Assert.Null(_emu.State.Data.GetConversation("conv-a009"));
        }

        // ---- Get-LcEmailMessage

        [Fact]
        public void Get_email_message_returns_every_field()
        {
            var rec = CmdletHarness.Run(new GetLcEmailMessageCommand { Connection = _alpha, Id = new[] { "email-a001" } });
            var m = Assert.Single(rec.OutputOf<EmailMessage>());
            Assert.Equal("email-a001", m.Id);
            Assert.Equal("conv-a001", m.ConversationId);
            Assert.Equal(Seed.AlphaLocation, m.LocationId);
            Assert.NotNull(m.DateAdded);
            Assert.Equal(TimeSpan.Zero, m.DateAdded!.Value.Offset);
            Assert.NotEmpty(m.To);
            Assert.False(string.IsNullOrEmpty(m.Body));
            Assert.Equal("/conversations/messages/email/email-a001", Assert.Single(Api()).Path);
        }

        [Fact]
        public void Get_email_message_of_another_location_is_denied_and_a_missing_one_not_found()
        {
            var rec = CmdletHarness.Run(new GetLcEmailMessageCommand { Connection = _alpha, Id = new[] { "email-b001", "email-zzz", "email-a002" } });
            Assert.Equal(new[] { "ApiForbidden", "ApiNotFound" }, rec.Errors.Select(e => e.ErrorId));
            Assert.Equal("email-a002", Assert.Single(rec.OutputOf<EmailMessage>()).Id);
        }

        // ---- plumbing a user would notice

        [Fact]
        public void Verbose_and_debug_are_written_on_the_pipeline_thread_only_and_hide_the_token()
        {
            _emu.State.Faults.Add(new FaultRule { Method = "GET", Kind = FaultKind.Status, StatusCode = 503, Count = 2, Body = "busy" });
            var rec = CmdletHarness.Run(new GetLcConversationCommand { Connection = _alpha, Id = new[] { "conv-a001" } });
            Assert.Single(rec.Output);
            Assert.Equal(2, rec.Verbose.Count(v => v.StartsWith("Retrying GET /conversations/conv-a001")));
            Assert.Contains(rec.Debug, d => d.Contains("Authorization: Bearer ***"));
            Assert.DoesNotContain(rec.AllText(), s => s.Contains(Seed.AlphaToken));
            Assert.Equal(new[] { Environment.CurrentManagedThreadId }, rec.WriterThreads);
        }
    }
}
