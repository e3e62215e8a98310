namespace LeadConnector.Engine
{
    /// <summary>
    /// A secret store outside the module (PowerShell SecretManagement): the host implements it, since the engine has no
    /// PowerShell reference. Called from any thread (a token renewal runs on a worker). Failures are
    /// <see cref="LcException"/>s whose message says what to do.
    /// </summary>
    internal interface ISecretVault
    {
        /// <summary>The secret's text, or null when the vault has no secret of that name.</summary>
        string? Get(string secretName, string vault);

        void Set(string secretName, string vault, string value);

        void Remove(string secretName, string vault);
    }
}
