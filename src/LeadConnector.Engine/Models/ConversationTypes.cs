using System;

namespace LeadConnector
{
    internal static class ConversationTypes
    {
        public static ConversationType? FromNumber(long n) =>
            n >= 0 && n <= 6 ? (ConversationType)n : ConversationType.Unknown;

        public static ConversationType? FromString(string? s)
        {
            if (string.IsNullOrWhiteSpace(s)) return null;
            if (long.TryParse(s, out var n)) return FromNumber(n);
            switch (s!.Trim().ToUpperInvariant())
            {
                case "TYPE_PHONE": case "PHONE": return ConversationType.Phone;
                case "TYPE_EMAIL": case "EMAIL": return ConversationType.Email;
                case "TYPE_FB_MESSENGER": case "TYPE_FACEBOOK_MESSENGER": case "FACEBOOKMESSENGER": return ConversationType.FacebookMessenger;
                case "TYPE_REVIEW": case "REVIEW": return ConversationType.Review;
                case "TYPE_GROUP_SMS": case "GROUPSMS": return ConversationType.GroupSms;
                case "TYPE_INTERNAL_CHAT": case "INTERNALCHAT": return ConversationType.InternalChat;
                default: return ConversationType.Unknown;
            }
        }
    }
}
