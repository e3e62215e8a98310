# Managed dependencies: the Functions host installs these from the PowerShell Gallery before the first run.
@{
    'LeadConnector' = '0.*'
}
