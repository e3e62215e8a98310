using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using LeadConnector.Emulator;
using LeadConnector.Tests.Infrastructure;
using static LeadConnector.Tests.Infrastructure.PsResult;

namespace LeadConnector.Tests.EndToEnd
{
    /// <summary>Each conversation cmdlet's behaviour, in a real PowerShell runspace, against the emulator over loopback.</summary>
    [Collection("Emulator")]
    public class ConversationCmdletTests : IDisposable
    {
        private const string ConversationType = "LeadConnector.Conversation";
        private readonly EmulatorFixture _emu;
        private readonly PsSession _ps = new PsSession();
        private readonly PSObject _alpha;

        public ConversationCmdletTests(EmulatorFixture emu)
        {
            _emu = emu;
            _emu.Reset();
            _alpha = _ps.Connect(emu);
            _emu.Reset();
        }

        public void Dispose() => _ps.Dispose();

        private RecordedRequest[] Api() => _emu.Requests();

        /// <summary>Runs a script with $alpha = the alpha connection, plus the given variables.</summary>
        private PsResult Run(string script, params (string, object?)[] vars) =>
            _ps.Run(script, vars.Append(("alpha", (object?)_alpha)).ToArray());

        // ---- Get-LcConversation -Id

        [Fact]
        public void Get_by_id_returns_a_typed_conversation_with_utc_dates()
        {
            var rec = Run("Get-LcConversation -Id conv-a001 -Connection $alpha");
            var c = Assert.Single(rec.OfType(ConversationType));
            Assert.Equal("conv-a001", Str(c, "Id"));
            Assert.Equal(Seed.AlphaLocation, Str(c, "LocationId"));
            Assert.Equal("contact-a001", Str(c, "ContactId"));
            Assert.NotNull(Prop(c, "Type"));
            Assert.NotEqual("Unknown", Str(c, "Type"));
            var added = Assert.IsType<DateTimeOffset>(Prop(c, "DateAdded"));
            var last = Assert.IsType<DateTimeOffset>(Prop(c, "LastMessageDate"));
            Assert.Equal(TimeSpan.Zero, added.Offset);
            Assert.Equal(TimeSpan.Zero, last.Offset);
            Assert.True(last > added);
            Assert.Empty(rec.Errors);
            var r = Assert.Single(Api());
            Assert.Equal("/conversations/conv-a001", r.Path);
            Assert.Equal("2021-07-28", r.Header("Version"));
        }

        [Fact]
        public void One_failing_id_writes_a_non_terminating_error_and_the_pipeline_goes_on()
        {
            var rec = Run("'conv-a001', 'conv-missing', 'conv-a003' | Get-LcConversation -Connection $alpha");
            Assert.Equal(new[] { "conv-a001", "conv-a003" }, rec.Ids);
            var e = Assert.Single(rec.Errors);
            Assert.Equal("ApiNotFound", ErrorId(e));
            Assert.Equal("ApiNotFound,LeadConnector.Commands.GetLcConversationCommand", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category);
            Assert.Equal("conv-missing", e.TargetObject);
            Assert.Equal("LeadConnector.LcException", e.Exception.GetType().FullName);
            Assert.Equal(404, ExProp(e, "StatusCode"));
            Assert.Contains("HTTP 404", e.Exception.Message);
            Assert.Contains("traceId", e.Exception.Message);
            Assert.NotNull(ExProp(e, "TraceId"));
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
            var rec = Run("Get-LcConversation -Id $id, 'conv-a002' -Connection $alpha", ("id", id));
            var e = Assert.Single(rec.Errors);
            Assert.Equal("InvalidId", ErrorId(e));
            Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
            Assert.Equal("conv-a002", Assert.Single(rec.OfType(ConversationType)).Properties["Id"].Value);
            Assert.Equal("/conversations/conv-a002", Assert.Single(Api()).Path);
        }

        [Fact]
        public void Another_locations_token_gets_PermissionDenied()
        {
            var beta = _ps.Connect(_emu, Seed.BetaToken, Seed.BetaLocation);
            var rec = Run("Get-LcConversation -Id conv-a001 -Connection $beta", ("beta", beta));
            var e = Assert.Single(rec.Errors);
            Assert.Equal("ApiForbidden", ErrorId(e));
            Assert.Equal(ErrorCategory.PermissionDenied, e.CategoryInfo.Category);
        }

        [Fact]
        public void A_bad_token_stops_the_pipeline_with_an_authentication_error()
        {
            var bad = _ps.Connect(_emu, "pit-not-a-real-token");
            _emu.Reset();
            var rec = Run("'conv-a001', 'conv-a002' | Get-LcConversation -Connection $bad; 'not reached'", ("bad", bad));
            Assert.Equal("ApiUnauthorized", ErrorId(rec.Terminating!));
            Assert.Equal(ErrorCategory.AuthenticationError, rec.Terminating!.CategoryInfo.Category);
            Assert.Contains("Invalid token", rec.Terminating.Exception.Message);
            Assert.Empty(rec.Errors);
            Assert.Empty(rec.Output); // terminating: the script did not go on
            // Piped records share a window of -ThrottleLimit requests, so the second may have started before the first's
            // 401 came back; nothing is started after it, and nothing of it is written.
            Assert.InRange(Api().Length, 1, 2);
        }

        [Fact]
        public void Two_connections_work_side_by_side()
        {
            var beta = _ps.Connect(_emu, Seed.BetaToken, Seed.BetaLocation);
            var a = Run("Get-LcConversation -Connection $alpha -All");
            var b = Run("Get-LcConversation -Connection $beta -All", ("beta", beta));
            Assert.All(a.Output, c => Assert.Equal(Seed.AlphaLocation, Str(c, "LocationId")));
            Assert.All(b.Output, c => Assert.Equal(Seed.BetaLocation, Str(c, "LocationId")));
            Assert.Equal(3, b.Output.Count);
        }

        // ---- Get-LcConversation search

        [Fact]
        public void Search_without_All_or_First_returns_the_first_page_and_warns_how_many_more_match()
        {
            var rec = Run("Get-LcConversation -Connection $alpha");
            Assert.Equal(20, rec.Output.Count);
            var w = Assert.Single(rec.Warning);
            Assert.Contains("45", w);
            Assert.Contains("25 more", w);
            Assert.Contains("-All", w);
            var r = Assert.Single(Api());
            Assert.Equal("/conversations/search", r.Path);
            Assert.Contains("locationId=loc-alpha", r.QueryString);
            Assert.All(rec.Output, c => Assert.NotNull(Prop(c, "Type")));
            Assert.All(rec.Output, c => Assert.Equal(ConversationType, c.TypeNames[0]));
        }

        [Fact]
        public void All_streams_every_page_with_the_cursor_and_reports_progress()
        {
            var rec = Run("Get-LcConversation -Connection $alpha -All");
            var ids = rec.Ids;
            Assert.Equal(45, ids.Count);
            Assert.Equal(45, ids.Distinct().Count());
            Assert.Empty(rec.Warning);
            var requests = Api();
            Assert.Equal(3, requests.Length);
            Assert.DoesNotContain("startAfterDate", requests[0].QueryString);
            Assert.Contains("startAfterDate=", requests[1].QueryString);
            Assert.Contains(rec.Progress, p => p.RecordType == ProgressRecordType.Processing && p.StatusDescription.Contains("of 45"));
            Assert.All(rec.Progress, p => Assert.Equal("Get-LcConversation", p.Activity));
            Assert.Equal(ProgressRecordType.Completed, rec.Progress.Last().RecordType);
            // newest first, like the API
            var dates = rec.Values("LastMessageDate").Cast<DateTimeOffset>().ToList();
            Assert.Equal(dates.OrderByDescending(d => d), dates);
        }

        [Fact]
        public void First_stops_after_N_and_asks_only_for_N()
        {
            var rec = Run("Get-LcConversation -Connection $alpha -First 5");
            Assert.Equal(5, rec.Output.Count);
            Assert.Contains("limit=5", Assert.Single(Api()).QueryString);
            Assert.Empty(rec.Warning);
        }

        [Fact]
        public void PageSize_sets_the_limit()
        {
            var rec = Run("Get-LcConversation -Connection $alpha -PageSize 10 -All");
            Assert.Equal(45, rec.Output.Count);
            Assert.Equal(5, Api().Length);
            Assert.All(Api(), r => Assert.Contains("limit=10", r.QueryString));
        }

        [Fact]
        public void All_and_First_together_are_refused()
        {
            var rec = Run("Get-LcConversation -Connection $alpha -All -First 3");
            Assert.Equal("ConflictingParameters", ErrorId(rec.Terminating!));
            Assert.Equal(ErrorCategory.InvalidArgument, rec.Terminating!.CategoryInfo.Category);
            Assert.Empty(Api());
        }

        [Fact]
        public void Filters_reach_the_api_and_narrow_the_results()
        {
            var rec = Run("Get-LcConversation -Connection $alpha -ContactId contact-a002 -All");
            Assert.Equal(2, rec.Output.Count);
            Assert.All(rec.Output, c => Assert.Equal("contact-a002", Str(c, "ContactId")));

            _emu.Reset();
            var starred = Run("Get-LcConversation -Connection $alpha -Status starred -All");
            Assert.NotEmpty(starred.Output);
            Assert.All(starred.Output, c => Assert.Equal(true, Prop(c, "Starred")));
            Assert.Contains("status=starred", Assert.Single(Api()).QueryString);

            _emu.Reset();
            var utc = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            Run("Get-LcConversation -Connection $alpha -StartDate $d -Query 'a&b=c'", ("d", utc));
            var q = Assert.Single(Api()).QueryString;
            Assert.Contains("startDate=1704067200000", q);
            Assert.Contains("query=a%26b%3Dc", q);
        }

        // ---- New-LcConversation

        [Fact]
        public void New_binds_id_and_locationId_from_a_piped_object_and_creates_one_conversation_each()
        {
            var before = _emu.State.Data.ConversationCount(Seed.AlphaLocation);
            _ps.Host.TestUI.Answers.Enqueue("Y");
            _ps.Host.TestUI.Answers.Enqueue("Y");
            var rec = Run("[pscustomobject]@{ id = 'contact-a010'; locationId = 'loc-alpha' }, [pscustomobject]@{ id = 'contact-new'; locationId = 'loc-alpha' } |" +
                " New-LcConversation -Connection $alpha -Force -Confirm");
            var created = rec.OfType(ConversationType);
            Assert.Equal(2, created.Count);
            Assert.Equal("contact-a010", Str(created[0], "ContactId"));
            Assert.Equal(Seed.AlphaLocation, Str(created[0], "LocationId"));
            Assert.False(string.IsNullOrEmpty(Str(created[0], "Id")));
            Assert.NotNull(Prop(created[0], "DateAdded"));
            Assert.Equal(before + 2, _emu.State.Data.ConversationCount(Seed.AlphaLocation));
            var posts = Api().Where(r => r.Method == "POST").ToList();
            Assert.Equal(2, posts.Count);
            // The two POSTs run at once (-ThrottleLimit), so the server may see them in either order; the output keeps the input order.
            Assert.Contains(posts, p => p.Body.Contains("\"contactId\":\"contact-a010\""));
            Assert.Equal(2, rec.Prompts.Count);
            Assert.Contains(rec.Prompts, p => p.Message.Contains("contact contact-a010 in location loc-alpha") && p.Message.Contains("\"Create conversation\""));
        }

        [Fact]
        public void New_with_WhatIf_sends_nothing()
        {
            var rec = Run("New-LcConversation -Connection $alpha -ContactId contact-a010 -WhatIf");
            Assert.Empty(rec.Output);
            var line = Assert.Single(rec.WhatIf);
            Assert.Contains("Create conversation", line);
            Assert.Contains("contact contact-a010", line);
            Assert.Empty(Api());
        }

        [Fact]
        public void New_uses_the_connections_location_by_default_and_needs_one()
        {
            Run("New-LcConversation -Connection $alpha -ContactId contact-a011 -Force");
            Assert.Contains("\"locationId\":\"loc-alpha\"", Api().Single().Body);

            var noLocation = _ps.Connect(_emu, location: null);
            var rec = Run("New-LcConversation -Connection $c -ContactId contact-a011 -Force", ("c", noLocation));
            var e = Assert.Single(rec.Errors);
            Assert.Contains("-LocationId", e.Exception.Message);
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
            var rec = Run("New-LcConversation -Connection $alpha -ContactId contact-a012 -Force");
            var e = Assert.Single(rec.Errors);
            Assert.Equal("ApiInvalidRequest", ErrorId(e));
            Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
            Assert.Contains("contactId must be a string", e.Exception.Message);
            Assert.Contains("locationId should not be empty", e.Exception.Message);
            Assert.Contains("t-422", e.Exception.Message);
            Assert.Equal(2, ((ICollection)ExProp(e, "Messages")!).Count);
        }

        // ---- Set-LcConversation

        [Fact]
        public void Get_by_contact_piped_to_Set_stars_each_and_PassThru_emits_the_update()
        {
            var found = Run("Get-LcConversation -Connection $alpha -ContactId contact-a002").Ids;
            Assert.Equal(2, found.Count);
            var rec = Run("Get-LcConversation -Connection $alpha -ContactId contact-a002 | Set-LcConversation -Connection $alpha -Starred $true -PassThru");
            Assert.Empty(rec.Errors);
            Assert.Equal(found, rec.Ids);
            Assert.All(rec.Output, c => Assert.Equal(true, Prop(c, "Starred")));
            foreach (var id in found) Assert.True(_emu.State.Data.GetConversation(id!)!.Starred);
        }

        [Fact]
        public void Set_without_PassThru_emits_nothing_and_sends_only_the_given_fields()
        {
            var rec = Run("Set-LcConversation -Connection $alpha -Id conv-a005 -UnreadCount 0 -Feedback @{ rating = 4 }");
            Assert.Empty(rec.Output);
            Assert.Empty(rec.Errors);
            var put = Assert.Single(Api());
            Assert.Equal("PUT", put.Method);
            Assert.Contains("\"unreadCount\":0", put.Body);
            Assert.Contains("\"feedback\":{\"rating\":4}", put.Body);
            Assert.DoesNotContain("starred", put.Body);
            Assert.Equal(0, _emu.State.Data.GetConversation("conv-a005")!.UnreadCount);
        }

        /// <summary>Feedback reaches the API as plain values: nested hashtables and arrays, strings as strings, nulls.</summary>
        [Fact]
        public void Feedback_values_are_sent_as_plain_json()
        {
            var rec = Run("Set-LcConversation -Connection $alpha -Id conv-a005 -Feedback @{ rating = 5; tags = @('a', @{ deep = $true }); note = 'text'; none = $null }");
            Assert.Empty(rec.Errors);
            var body = Assert.Single(Api()).Body;
            using var doc = System.Text.Json.JsonDocument.Parse(body);
            var fb = doc.RootElement.GetProperty("feedback");
            Assert.Equal(5, fb.GetProperty("rating").GetInt32());
            Assert.Equal("text", fb.GetProperty("note").GetString()); // strings are values, not character lists
            Assert.Equal(System.Text.Json.JsonValueKind.Null, fb.GetProperty("none").ValueKind);
            var tags = fb.GetProperty("tags");
            Assert.Equal("a", tags[0].GetString());
            Assert.True(tags[1].GetProperty("deep").GetBoolean());
        }

        [Fact]
        public void Set_with_nothing_to_change_is_refused_before_sending()
        {
            var rec = Run("Set-LcConversation -Connection $alpha -Id conv-a005");
            Assert.Equal("NothingToUpdate", ErrorId(rec.Terminating!));
            Assert.Equal(ErrorCategory.InvalidArgument, rec.Terminating!.CategoryInfo.Category);
            Assert.Empty(Api());
        }

        [Fact]
        public void Set_with_WhatIf_or_a_no_at_the_prompt_sends_nothing()
        {
            var whatIf = Run("Set-LcConversation -Connection $alpha -Id conv-a005 -Starred $true -WhatIf");
            Assert.Contains("Update conversation (Starred=True)", Assert.Single(whatIf.WhatIf));
            _ps.Host.TestUI.Answers.Enqueue("N");
            var no = Run("Set-LcConversation -Connection $alpha -Id conv-a005 -Starred $true -Confirm");
            Assert.Contains("conversation conv-a005", Assert.Single(no.Prompts).Message);
            Assert.Empty(Api());
        }

        // ---- Remove-LcConversation

        [Fact]
        public void Remove_with_Force_deletes_and_a_later_get_is_not_found()
        {
            var rec = Run("Remove-LcConversation -Connection $alpha -Id conv-a007 -Force");
            Assert.Empty(rec.Prompts); // -Force: no prompt
            Assert.Empty(rec.Errors);
            Assert.Contains(rec.Verbose, v => v == "Removed conversation conv-a007.");
            Assert.Equal("DELETE", Assert.Single(Api()).Method);
            var get = Run("Get-LcConversation -Connection $alpha -Id conv-a007");
            Assert.Equal("ApiNotFound", ErrorId(Assert.Single(get.Errors)));
        }

        [Fact]
        public void Remove_asks_first_and_a_no_deletes_nothing()
        {
            _ps.Host.TestUI.Answers.Enqueue("N");
            var rec = Run("Remove-LcConversation -Connection $alpha -Id conv-a007");
            var prompt = Assert.Single(rec.Prompts); // ConfirmImpact High: asks without -Confirm
            Assert.Contains("Performing the operation \"Remove conversation\" on target \"conversation conv-a007\"", prompt.Message);
            Assert.Empty(Api());
        }

        [Fact]
        public void Remove_with_Force_still_honours_WhatIf_and_an_explicit_Confirm()
        {
            var whatIf = Run("Remove-LcConversation -Connection $alpha -Id conv-a007 -Force -WhatIf");
            Assert.Single(whatIf.WhatIf);
            var whatIfPref = Run("$WhatIfPreference = $true; Remove-LcConversation -Connection $alpha -Id conv-a007 -Force");
            Assert.Single(whatIfPref.WhatIf);
            _ps.Host.TestUI.Answers.Enqueue("N");
            var confirm = Run("Remove-LcConversation -Connection $alpha -Id conv-a007 -Force -Confirm");
            Assert.Single(confirm.Prompts);
            Assert.Empty(Api());
        }

        [Fact]
        public void Remove_takes_ids_from_the_pipeline_and_goes_on_past_a_missing_one()
        {
            var rec = Run("'conv-a008', 'conv-nope', [pscustomobject]@{ ConversationId = 'conv-a009' } | Remove-LcConversation -Connection $alpha -Force");
            Assert.Equal("ApiNotFound", ErrorId(Assert.Single(rec.Errors)));
            Assert.Null(_emu.State.Data.GetConversation("conv-a008"));
            Assert.Null(_emu.State.Data.GetConversation("conv-a009"));
        }

        [Fact]
        public void Remove_answered_yes_to_all_deletes_each_piped_id_after_one_prompt()
        {
            _ps.Host.TestUI.Answers.Enqueue("A");
            var rec = Run("'conv-a008', 'conv-a009' | Remove-LcConversation -Connection $alpha");
            Assert.Single(rec.Prompts);
            Assert.Equal(2, Api().Count(r => r.Method == "DELETE"));
        }

        // ---- Get-LcEmailMessage

        [Fact]
        public void Get_email_message_returns_every_field()
        {
            var rec = Run("Get-LcEmailMessage -Connection $alpha -Id email-a001");
            var m = Assert.Single(rec.OfType("LeadConnector.EmailMessage"));
            Assert.Equal("email-a001", Str(m, "Id"));
            Assert.Equal("conv-a001", Str(m, "ConversationId"));
            Assert.Equal(Seed.AlphaLocation, Str(m, "LocationId"));
            var added = Assert.IsType<DateTimeOffset>(Prop(m, "DateAdded"));
            Assert.Equal(TimeSpan.Zero, added.Offset);
            Assert.NotEmpty((IEnumerable)Prop(m, "To")!);
            Assert.False(string.IsNullOrEmpty(Str(m, "Body")));
            Assert.Equal("/conversations/messages/email/email-a001", Assert.Single(Api()).Path);
        }

        [Fact]
        public void Get_email_message_of_another_location_is_denied_and_a_missing_one_not_found()
        {
            var rec = Run("[pscustomobject]@{ EmailMessageId = 'email-b001' }, 'email-zzz', 'email-a002' | Get-LcEmailMessage -Connection $alpha");
            Assert.Equal(new[] { "ApiForbidden", "ApiNotFound" }, rec.ErrorIds);
            Assert.Equal("email-a002", Assert.Single(rec.Output).Properties["Id"].Value);
        }

        // ---- plumbing a user would notice

        /// <summary>
        /// Real PowerShell throws when a cmdlet writes from any thread but the pipeline thread, so a clean run with
        /// retries (engine work on a worker thread, its verbose and debug lines relayed) shows they were written on it.
        /// </summary>
        [Fact]
        public void Verbose_and_debug_are_written_on_the_pipeline_thread_only_and_hide_the_token()
        {
            _emu.State.Faults.Add(new FaultRule { Method = "GET", Kind = FaultKind.Status, StatusCode = 503, Count = 2, Body = "busy" });
            var rec = Run("Get-LcConversation -Connection $alpha -Id conv-a001");
            Assert.Null(rec.Terminating);
            Assert.Empty(rec.Errors);
            Assert.Single(rec.Output);
            Assert.Equal(2, rec.Verbose.Count(v => v.StartsWith("Retrying GET /conversations/conv-a001")));
            Assert.Contains(rec.Debug, d => d.Contains("Authorization: Bearer ***"));
            Assert.DoesNotContain(rec.AllText(), s => s.Contains(Seed.AlphaToken));
        }

        [Fact]
        public void Without_Verbose_the_verbose_stream_is_empty()
        {
            var rec = Run("$VerbosePreference = 'SilentlyContinue'; $DebugPreference = 'SilentlyContinue'; Get-LcConversation -Connection $alpha -Id conv-a001");
            Assert.Single(rec.Output);
            Assert.Empty(rec.Verbose);
            Assert.Empty(rec.Debug);
            var verbose = Run("$VerbosePreference = 'SilentlyContinue'; Get-LcConversation -Connection $alpha -Id conv-a001 -Verbose");
            Assert.NotEmpty(verbose.Verbose);
        }
    }
}
