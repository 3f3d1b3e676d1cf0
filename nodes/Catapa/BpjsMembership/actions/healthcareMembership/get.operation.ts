import { getOperation } from '../membership';

// GET /core/v1/employees/{employeeId}/bpjs-healthcare-memberships (spec, "Get BPJS Healthcare Membership").
export const { description, prepare } = getOperation('healthcareMembership');
