// Key Vault in RBAC mode (no access policies), soft delete and purge protection on, holding the
// app's secrets. The app reads them through Key Vault references resolved with its
// user-assigned identity, which holds Key Vault Secrets User on each secret it reads and on
// nothing else. Secret values arrive only as secure parameters: never in a default, an output or
// the deployment's logs.

import { tagsType } from 'types.bicep'

@description('Name of the key vault (3 to 24 letters, digits and hyphens).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags tagsType

@description('Days a deleted vault or secret can be recovered (7 to 90). With purge protection, a deleted vault keeps its name this long.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

@description('Principal id of the app\'s identity.')
param principalId string

@description('Resource id of that identity: known before deployment, it names the role assignments.')
param identityId string

@description('Admin__ApiKey: the owner\'s bearer token for /api/admin.')
@secure()
param adminApiKey string

@description('Notifications__LinkSecret: the key that signs links in emails.')
@secure()
param linkSecret string

@description('SendGrid__ApiKey; empty: no secret is stored and emails are not sent.')
@secure()
param sendGridApiKey string

@description('Smtp__Password; empty: no secret is stored.')
@secure()
param smtpPassword string

@description('Akismet__ApiKey; empty: no secret is stored and only the built-in spam defences run.')
@secure()
param akismetApiKey string

// Built-in role: Key Vault Secrets User (reads secret values).
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

// Secret names, also used in the README's commands.
var adminApiKeySecretName = 'admin-api-key'
var linkSecretSecretName = 'link-signing-secret'
var sendGridApiKeySecretName = 'sendgrid-api-key'
var akismetApiKeySecretName = 'akismet-api-key'
var smtpPasswordSecretName = 'smtp-password'

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    // Flex Consumption apps outside a virtual network resolve Key Vault references over the
    // public endpoint; data access still needs an Entra token and a role.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource adminApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = {
  parent: vault
  name: adminApiKeySecretName
  properties: {
    value: adminApiKey
    contentType: 'text/plain'
  }
}

resource linkSecretSecret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = {
  parent: vault
  name: linkSecretSecretName
  properties: {
    value: linkSecret
    contentType: 'text/plain'
  }
}

resource sendGridApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = if (!empty(sendGridApiKey)) {
  parent: vault
  name: sendGridApiKeySecretName
  properties: {
    value: sendGridApiKey
    contentType: 'text/plain'
  }
}

resource smtpPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = if (!empty(smtpPassword)) {
  parent: vault
  name: smtpPasswordSecretName
  properties: {
    value: smtpPassword
    contentType: 'text/plain'
  }
}

resource akismetApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = if (!empty(akismetApiKey)) {
  parent: vault
  name: akismetApiKeySecretName
  properties: {
    value: akismetApiKey
    contentType: 'text/plain'
  }
}

resource adminApiKeyReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(adminApiKeySecret.id, identityId, keyVaultSecretsUserRoleId)
  scope: adminApiKeySecret
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource linkSecretReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(linkSecretSecret.id, identityId, keyVaultSecretsUserRoleId)
  scope: linkSecretSecret
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource sendGridApiKeyReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(sendGridApiKey)) {
  name: guid(sendGridApiKeySecret.id, identityId, keyVaultSecretsUserRoleId)
  scope: sendGridApiKeySecret
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource smtpPasswordReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(smtpPassword)) {
  name: guid(smtpPasswordSecret.id, identityId, keyVaultSecretsUserRoleId)
  scope: smtpPasswordSecret
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource akismetApiKeyReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(akismetApiKey)) {
  name: guid(akismetApiKeySecret.id, identityId, keyVaultSecretsUserRoleId)
  scope: akismetApiKeySecret
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Key Vault references (versionless: the app takes up a new version of a secret on restart or
// within a day), never values. The optional ones are used only when their secret exists.
output name string = vault.name
output adminApiKeyReference string = '@Microsoft.KeyVault(SecretUri=${adminApiKeySecret.properties.secretUri})'
output linkSigningKeyReference string = '@Microsoft.KeyVault(SecretUri=${linkSecretSecret.properties.secretUri})'
output sendGridApiKeyReference string = '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/${sendGridApiKeySecretName})'
// The SMTP password's reference, not the password.
output smtpKeyReference string = '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/${smtpPasswordSecretName})'
output akismetApiKeyReference string = '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/${akismetApiKeySecretName})'
