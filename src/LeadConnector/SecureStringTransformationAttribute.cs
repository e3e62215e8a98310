using System;
using System.Management.Automation;
using System.Security;

namespace LeadConnector.Commands
{
    /// <summary>Lets -AccessToken take a plain String as well as a SecureString.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData) => Convert(inputData);

        internal static SecureString? Convert(object? input)
        {
            if (input is PSObject pso) input = pso.BaseObject;
            switch (input)
            {
                case null:
                    return null;
                case SecureString secure:
                    return secure;
                case string text:
                    var result = new SecureString();
                    foreach (var c in text) result.AppendChar(c);
                    result.MakeReadOnly();
                    return result;
                default:
                    throw new ArgumentTransformationMetadataException(
                        $"The access token must be a String or a SecureString, not a {input.GetType().Name}.");
            }
        }
    }
}
