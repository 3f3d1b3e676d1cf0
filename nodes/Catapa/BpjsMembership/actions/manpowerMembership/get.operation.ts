import { getOperation } from '../membership';

// GET /core/v1/employees/{employeeId}/bpjs-manpower-memberships (spec, "Get BPJS Manpower Membership").
export const { description, prepare } = getOperation('manpowerMembership');
