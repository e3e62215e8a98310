using System;
using System.IO;
using LeadConnector.Engine;

namespace LeadConnector.Tests.Engine
{
    public sealed class RefreshTokenStoreTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("lc-rt-").FullName;
        private string FilePath => Path.Combine(_dir, "refresh.token");

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        [Fact]
        public void Saves_and_loads_a_token()
        {
            var store = new RefreshTokenStore(FilePath);
            Assert.Null(store.Load());
            store.Save("rt-1");
            Assert.Equal("rt-1", store.Load());
            store.Save("rt-2");
            Assert.Equal("rt-2", new RefreshTokenStore(FilePath).Load());
            Assert.False(File.Exists(FilePath + ".pending"));
        }

        [Fact]
        public void The_file_is_readable_by_its_owner_only_on_unix()
        {
            if (OperatingSystem.IsWindows()) return;
            File.WriteAllText(FilePath, "old");
            File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            new RefreshTokenStore(FilePath).Save("rt-secret");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
        }

        [Fact]
        public void A_crash_between_the_write_and_the_rename_keeps_the_new_token()
        {
            var crash = false;
            var store = new RefreshTokenStore(FilePath, () => { if (crash) throw new IOException("the process died here"); });
            store.Save("rt-old");
            crash = true;
            Assert.Throws<IOException>(() => store.Save("rt-new"));

            // The file still holds the old token whole; the new one waits in the pending file.
            Assert.Equal("rt-old", File.ReadAllText(FilePath));
            var next = new RefreshTokenStore(FilePath);
            Assert.Equal("rt-new", next.Load());
            Assert.Equal("rt-new", File.ReadAllText(FilePath));
            Assert.False(File.Exists(FilePath + ".pending"));
        }

        [Fact]
        public void IsPending_tells_whether_a_failed_save_left_the_token_in_the_pending_file()
        {
            var crash = false;
            var store = new RefreshTokenStore(FilePath, () => { if (crash) throw new IOException("the rename failed"); });
            store.Save("rt-old");
            Assert.False(store.IsPending("rt-old"));
            crash = true;
            Assert.Throws<IOException>(() => store.Save("rt-new"));

            Assert.True(store.IsPending("rt-new"));
            Assert.False(store.IsPending("rt-old"));
            Assert.Equal(FilePath + ".pending", store.PendingPath);
        }

        [Fact]
        public void A_missing_folder_is_refused_with_InvalidInput()
        {
            var ex = Assert.Throws<LcException>(() => new RefreshTokenStore(Path.Combine(_dir, "no-such-dir", "rt")));
            Assert.Equal(LcErrorKind.InvalidInput, ex.Kind);
            Assert.Contains("does not exist", ex.Message);
        }
    }
}
