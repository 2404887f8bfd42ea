// The app's one identity: a user-assigned managed identity. Every connection the app makes
// (storage, Key Vault references, Application Insights) authenticates as this identity, and every
// role the app holds is granted to it, so it outlives the Function App and its grants can be
// reviewed in one place.

import { tagsType } from 'types.bicep'

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region.')
param location string

@description('Tags for the resource.')
param tags tagsType

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
