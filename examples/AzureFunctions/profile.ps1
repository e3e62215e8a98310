# Runs once when a PowerShell worker starts (a cold start), before any function. Connects once per worker:
# Connect-Lc reads the token from LC_ACCESS_TOKEN and the location from LC_LOCATION_ID (application settings,
# ideally Key Vault references), so no secret is in this file. The webhook's public key is read from
# LC_WEBHOOK_PUBLIC_KEY by ConvertFrom-LcWebhook.
if ($env:LC_ACCESS_TOKEN) {
    Connect-Lc -Quiet
}
