using System;
using System.Threading;
using System.Threading.Tasks;

namespace LeadConnector.Engine
{
    /// <summary>
    /// Where a rotating OAuth refresh token is kept between runs: a file of its own (-RefreshTokenPath) or a saved
    /// connection (Save-LcConnection). Saves are crash-safe (the store holds the old token or the new one, never half);
    /// the lock is held across processes while a token is renewed, so two processes that share the store never both
    /// spend the same refresh token: the second one waits, reads the first one's new token, and renews with that.
    /// </summary>
    internal interface IRefreshTokenStore
    {
        /// <summary>Names the store in messages ("the refresh token file '...'"); never a secret.</summary>
        string Description { get; }

        /// <summary>The stored refresh token; null when there is none.</summary>
        string? Load();

        /// <summary>Replaces the stored refresh token, atomically.</summary>
        void Save(string refreshToken);

        /// <summary>After a failed <see cref="Save"/>: a sentence that says where the new token still is besides the session, or null. Never throws.</summary>
        string? Recovery(string refreshToken);

        /// <summary>Takes the lock every process sharing this store takes around a renewal.</summary>
        Task<IDisposable> LockAsync(TimeSpan timeout, CancellationToken cancellation);
    }
}
