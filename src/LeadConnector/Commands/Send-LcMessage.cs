using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Send-LcMessage: POST /conversations/messages. Refuses input the API would refuse before anything is sent.
    /// The client never resends a POST unless it provably did not reach the application (429, refused connection).
    /// </summary>
    /// <remarks>
    /// Binding: -ContactId binds by property name; a conversation or a message has a ContactId property, which wins over
    /// the Id alias (PowerShell matches the parameter name before its aliases), and a contact, which has none, binds its Id.
    /// </remarks>
    [Cmdlet(VerbsCommunications.Send, "LcMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SendResult))]
    public sealed class SendLcMessageCommand : LcBulkCmdlet
    {
        /// <summary>-CheckpointPath: a send an earlier run may have made is not repeated (CheckpointUncertain), never guessed.</summary>
        internal override bool CheckpointRepeatable => false;

        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Contact)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string ContactId { get; set; } = "";

        [Parameter(Mandatory = true)]
        [ArgumentCompleter(typeof(SendMessageTypeCompleter))]
        [ValidateSet("SMS", "RCS", "Email", "WhatsApp", "IG", "FB", "Custom", "Live_Chat", "TIKTOK", IgnoreCase = true)]
        public string Type { get; set; } = "";

        [Parameter(Position = 0)]
        public string? Message { get; set; }

        [Parameter]
        public string? Html { get; set; }

        [Parameter]
        public string? Subject { get; set; }

        /// <summary>One address (the API's emailTo is a single string); more recipients go in -EmailCc/-EmailBcc.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EmailTo { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? EmailCc { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? EmailBcc { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EmailFrom { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Attachments { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ReplyMessageId { get; set; }

        [Parameter]
        public DateTime? ScheduledAt { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? FromNumber { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ToNumber { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ThreadId { get; set; }

        [Parameter]
        [ValidateSet("reply", "reply_all", IgnoreCase = true)]
        public string? EmailReplyMode { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TemplateId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? AppointmentId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ConversationProviderId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CustomSubtypeId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SubType { get; set; }

        [Parameter]
        [ValidateSet("delivered", "failed", "pending", "read", IgnoreCase = true)]
        public string? Status { get; set; }

        /// <summary>Forward an email: a hashtable converts, e.g. @{ MessageId = '...'; EmailMessageId = '...'; ToEmail = '...' }.</summary>
        [Parameter]
        [ValidateNotNull]
        public MessageForward? Forward { get; set; }

        [Parameter]
        public SwitchParameter UsesNativeSchedulingAi { get; set; }

        [Parameter]
        [ValidateSet("24h", "48h", "72h", IgnoreCase = true)]
        public string? OptimizationPeriod { get; set; }

        /// <summary>Local files: uploaded first (checked before anything is sent), their URLs sent with the message.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? AttachmentPath { get; set; }

        /// <summary>
        /// The conversation the -AttachmentPath files are uploaded to (the upload endpoint needs one). A message piped in
        /// binds its ConversationId. Without it, the contact's conversation is looked up (and created when it has none).
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? ConversationId { get; set; }

        /// <summary>Activity id of the upload bar (the module's bars use 1..10).</summary>
        private const int UploadProgressId = 11;

        protected override void Process()
        {
            var send = new MessageSend
            {
                Type = Type,
                ContactId = ContactId,
                Message = Message,
                Html = Html,
                Subject = Subject,
                EmailTo = EmailTo,
                EmailCc = EmailCc,
                EmailBcc = EmailBcc,
                EmailFrom = EmailFrom,
                Attachments = Attachments,
                ReplyMessageId = ReplyMessageId,
                ScheduledAt = Dates.AsUtc(ScheduledAt),
                FromNumber = FromNumber,
                ToNumber = ToNumber,
                ThreadId = ThreadId,
                EmailReplyMode = EmailReplyMode,
                TemplateId = TemplateId,
                AppointmentId = AppointmentId,
                ConversationProviderId = ConversationProviderId,
                CustomSubtypeId = CustomSubtypeId,
                SubType = SubType,
                Status = Status,
                Forward = Forward,
                UsesNativeSchedulingAi = MyInvocation.BoundParameters.ContainsKey(nameof(UsesNativeSchedulingAi)) ? UsesNativeSchedulingAi.IsPresent : (bool?)null,
                OptimizationPeriod = OptimizationPeriod,
            };
            if (AttachmentPath != null)
            {
                SendWithFiles(send);
                return;
            }
            if (!TryPrepare(() => new MessageOperations(Session).Send(send), ContactId, out var post, "InvalidMessage")) return;
            var what = send.ScheduledAt is DateTimeOffset at ? $"Send {send.Type} message (scheduled for {Dates.Shown(at, minutes: true)})" : $"Send {send.Type} message";
            if (!ShouldProcess($"contact {ContactId}", what)) return;
            Start(post, send.ContactId, result => WriteObject(result));
        }

        /// <summary>
        /// Files first, then the message: every file is checked before anything is sent; the uploads and the send run as
        /// one engine call while the pipeline thread shows the upload progress of files sent through a signed URL.
        /// </summary>
        private void SendWithFiles(MessageSend send)
        {
            var paths = new List<string>();
            foreach (var p in AttachmentPath!)
            {
                try
                {
                    paths.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(p, out var provider, out _) is var full && provider.Name == "FileSystem"
                        ? full : throw new NotSupportedException($"'{p}' is not a file-system path."));
                }
                catch (Exception ex) when (ex is NotSupportedException || ex is ItemNotFoundException || ex is DriveNotFoundException || ex is ProviderNotFoundException || ex is ArgumentException)
                {
                    Drain();
                    WriteError(new ErrorRecord(LcException.InvalidInput($"The attachment path '{p}' is not a file path: {ex.Message} Nothing was sent.", ex),
                        "InvalidMessage", ErrorCategory.InvalidArgument, p));
                    return;
                }
            }
            if (!TryPrepare(() => new UploadOperations(Session).PrepareSend(send, paths, ConversationId), ContactId, out var prepared, "InvalidMessage")) return;
            long total = 0;
            foreach (var f in prepared.Files) total += f.Length;
            var what = $"Send {send.Type} message with {prepared.Files.Count} file(s) ({UploadOperations.Size(total)}) uploaded first" +
                (send.ScheduledAt is DateTimeOffset at ? $" (scheduled for {Dates.Shown(at, minutes: true)})" : "");
            if (!ShouldProcess($"contact {ContactId}", what)) return;

            Drain(); // the records before this one come first
            var progress = new UploadProgress();
            var session = Session;
            var task = Relay.Run(call => prepared.SendAsync(session, progress, call), Cancellation);
            bool shown = false;
            void Show(bool finished)
            {
                // Every file sent through a signed URL shows, even one that started and ended between two looks.
                for (var started = progress.NextStarted(); started != null; started = progress.NextStarted())
                    if (started.Signed) Bar(started, ReferenceEquals(progress.Current, started) && !finished ? progress.Sent : started.Length);
                if (!finished && progress.Current is LocalAttachment file && file.Signed) Bar(file, progress.Sent);
            }
            void Bar(LocalAttachment file, long sent)
            {
                shown = true;
                sent = Math.Min(sent, file.Length);
                WriteProgress(new ProgressRecord(UploadProgressId, "Send-LcMessage", $"Uploading {file.FileName}: {UploadOperations.Size(sent)} of {UploadOperations.Size(file.Length)}")
                {
                    PercentComplete = (int)(sent * 100 / Math.Max(1, file.Length)),
                });
            }
            try
            {
                while (!task.Wait(200, Cancellation))
                {
                    Relay.Pump(this, null, Cancellation);
                    Show(finished: false);
                }
            }
            catch (AggregateException) { } // the task's own error is read below
            finally
            {
                if (!Cancellation.IsCancellationRequested) Show(finished: true);
                if (shown)
                {
                    try { WriteProgress(new ProgressRecord(UploadProgressId, "Send-LcMessage", "Done") { PercentComplete = 100, RecordType = ProgressRecordType.Completed }); }
                    catch (PipelineStoppedException) { }
                }
            }
            Relay.Pump(this, null, Cancellation);
            SendResult result;
            try
            {
                result = task.GetAwaiter().GetResult();
            }
            catch (LcException ex) when (ex.Kind != LcErrorKind.Cancelled && !Cancellation.IsCancellationRequested)
            {
                Report(ex, ContactId);
                return;
            }
            WriteObject(result);
        }
    }
}
