using System;
using System.Security;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>Data of <see cref="Connection.RefreshTokenRotated"/>: the new refresh token, which the old one no longer is.</summary>
    public sealed class RefreshTokenRotatedEventArgs : EventArgs
    {
        internal RefreshTokenRotatedEventArgs(SecureString refreshToken, DateTimeOffset rotatedAt, string? locationId)
        {
            RefreshToken = refreshToken;
            RotatedAt = rotatedAt;
            LocationId = locationId;
        }

        /// <summary>The new refresh token. Store it: the previous one is dead.</summary>
        public SecureString RefreshToken { get; }
        public DateTimeOffset RotatedAt { get; }
        public string? LocationId { get; }

        public override string ToString() => $"Refresh token rotated at {IsoDate.Shown(RotatedAt)}";
    }
}
