using System;
using System.IO;
using System.Text;

namespace LeadConnector.Tests.Engine
{
    public sealed class CheckpointTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "lc-cp-tests-" + Guid.NewGuid().ToString("N"));
        private string File1 => Path.Combine(_dir, "job.checkpoint");
        private static readonly DateTimeOffset At = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

        public CheckpointTests() => Directory.CreateDirectory(_dir);

        public void Dispose()
        {
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }

        private static readonly Encoding NoBom = new UTF8Encoding(false);

        private static CheckpointPosition P(long r, int u = 0) => new CheckpointPosition(r, u);

        [Fact]
        public void A_resumed_job_knows_what_was_done_and_what_was_sent_with_its_time()
        {
            using (var cp = Checkpoint.Open(File1, "fp", "New-LcContact", overwrite: false))
            {
                Assert.False(cp.Resumed);
                cp.Sent(P(0), "h0", At);
                cp.Done(P(0), "h0");
                cp.Sent(P(1), "h1", At.AddSeconds(1));
            }
            using (var cp = Checkpoint.Open(File1, "fp", "New-LcContact", overwrite: false))
            {
                Assert.True(cp.Resumed);
                Assert.Equal(1, cp.DoneCount);
                Assert.Equal(CheckpointState.Done, cp.Check(P(0), "h0", false, out _));
                Assert.Equal(CheckpointState.Sent, cp.Check(P(1), "h1", false, out var sentAt));
                Assert.Equal(At.AddSeconds(1), sentAt);
                Assert.Equal(CheckpointState.New, cp.Check(P(2), "h2", false, out _));
            }
        }

        [Fact]
        public void A_torn_last_line_is_ignored_and_cut_off_before_the_next_line()
        {
            using (var cp = Checkpoint.Open(File1, "fp", "Set-LcConversation", overwrite: false))
            {
                cp.Sent(P(0), "h0", At);
                cp.Done(P(0), "h0");
                cp.Sent(P(1), "h1", At);
            }
            // A kill in the middle of writing "done 1.0 h1".
            File.AppendAllText(File1, "done 1.0 h", NoBom);
            using (var cp = Checkpoint.Open(File1, "fp", "Set-LcConversation", overwrite: false))
            {
                Assert.Equal(CheckpointState.Sent, cp.Check(P(1), "h1", false, out _));
                cp.Done(P(1), "h1");
            }
            var lines = File.ReadAllLines(File1);
            Assert.Equal("done 1.0 h1", lines[^1]);
            Assert.DoesNotContain("done 1.0 h", lines[..^1]);
            using (var cp = Checkpoint.Open(File1, "fp", "Set-LcConversation", overwrite: false))
                Assert.Equal(CheckpointState.Done, cp.Check(P(1), "h1", false, out _));
        }

        [Fact]
        public void A_torn_header_starts_the_job_over()
        {
            File.WriteAllText(File1, "lc-checkpoint 1 f", NoBom);
            using (var cp = Checkpoint.Open(File1, "fp", "Get-LcContact", overwrite: false))
                Assert.False(cp.Resumed);
            Assert.Equal("lc-checkpoint 1 fp Get-LcContact", File.ReadAllLines(File1)[0]);
        }

        [Fact]
        public void Another_job_is_refused_with_CheckpointMismatch_and_the_file_is_kept()
        {
            using (var cp = Checkpoint.Open(File1, "fp-a", "Set-LcConversation", overwrite: false)) cp.Sent(P(0), "h0", At);
            var before = File.ReadAllText(File1);
            var ex = Assert.Throws<LcException>(() => Checkpoint.Open(File1, "fp-b", "Set-LcConversation", overwrite: false));
            Assert.Equal(Checkpoint.MismatchError, ex.Data[Checkpoint.ErrorKey]);
            Assert.Contains("-OverwriteCheckpoint", ex.Message);
            Assert.Equal(before, File.ReadAllText(File1));

            using (var cp = Checkpoint.Open(File1, "fp-b", "Set-LcConversation", overwrite: true))
            {
                Assert.False(cp.Resumed);
                Assert.Equal(CheckpointState.New, cp.Check(P(0), "h0", false, out _));
            }
        }

        [Fact]
        public void Other_input_at_a_recorded_position_is_refused_or_with_overwrite_drops_what_follows()
        {
            using (var cp = Checkpoint.Open(File1, "fp", "New-LcContact", overwrite: false))
            {
                for (int i = 0; i < 4; i++)
                {
                    cp.Sent(P(i), "h" + i, At);
                    cp.Done(P(i), "h" + i);
                }
            }
            using (var cp = Checkpoint.Open(File1, "fp", "New-LcContact", overwrite: false))
            {
                Assert.Equal(CheckpointState.Done, cp.Check(P(0), "h0", false, out _));
                var ex = Assert.Throws<LcException>(() => cp.Check(P(1), "other", false, out _));
                Assert.Equal(Checkpoint.MismatchError, ex.Data[Checkpoint.ErrorKey]);
                Assert.Equal(CheckpointState.New, cp.Check(P(1), "other", true, out _));
                Assert.Equal(CheckpointState.New, cp.Check(P(3), "h3", false, out _)); // dropped with the rest
            }
            using (var cp = Checkpoint.Open(File1, "fp", "New-LcContact", overwrite: false))
            {
                Assert.Equal(CheckpointState.Done, cp.Check(P(0), "h0", false, out _));
                Assert.Equal(CheckpointState.New, cp.Check(P(2), "h2", false, out _)); // the reset line is replayed
            }
        }

        [Fact]
        public void A_file_that_is_not_a_checkpoint_is_never_written_over()
        {
            File.WriteAllText(File1, "firstName,email\nAna,ana@example.com\n", NoBom);
            var ex = Assert.Throws<LcException>(() => Checkpoint.Open(File1, "fp", "New-LcContact", overwrite: true));
            Assert.Equal(Checkpoint.CorruptError, ex.Data[Checkpoint.ErrorKey]);
            Assert.Equal("firstName,email\nAna,ana@example.com\n", File.ReadAllText(File1));
        }

        [Fact]
        public void A_listing_goes_on_from_its_recorded_cursor_and_a_finished_job_removes_the_file()
        {
            using (var cp = Checkpoint.Open(File1, "fp", "Get-LcContact", overwrite: false)) cp.Page(P(0), "h", "cursor with spaces\nand a newline", 40);
            using (var cp = Checkpoint.Open(File1, "fp", "Get-LcContact", overwrite: false))
            {
                Assert.True(cp.TryGetPage(P(0), out var cursor, out var returned));
                Assert.Equal("cursor with spaces\nand a newline", cursor);
                Assert.Equal(40, returned);
                cp.Done(P(0), "h");
                cp.Complete();
            }
            Assert.False(File.Exists(File1));
        }

        [Fact]
        public void One_run_at_a_time_holds_the_file()
        {
            using (Checkpoint.Open(File1, "fp", "Get-LcContact", overwrite: false))
            {
                if (!OperatingSystem.IsWindows()) return; // FileShare is advisory on Unix
                Assert.ThrowsAny<IOException>(() => Checkpoint.Open(File1, "fp", "Get-LcContact", overwrite: false));
            }
        }
    }
}
