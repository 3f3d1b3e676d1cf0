import { resourceDescription } from '../membership';
import * as get from './get.operation';
import * as update from './update.operation';

export { get, update };

export const description = resourceDescription('healthcareMembership', { get, update });
