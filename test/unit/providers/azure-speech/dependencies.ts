export { remoteProviderDependencies as dependenciesWith } from '../../../helpers/provider-dependencies.js';
