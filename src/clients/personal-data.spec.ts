import { EmployeeRole } from '../kernel/role';
import { maskPersonalFields, maskPersonalValue, personalDataRolesOf, viewsPersonalData } from './personal-data';

describe('personal data', () => {
  it.each([
    [EmployeeRole.ADMIN, null, true],
    [EmployeeRole.MANAGER, null, true],
    [EmployeeRole.DISPATCHER, null, false],
    [EmployeeRole.TECHNICIAN, null, false],
    [EmployeeRole.VIEWER, null, false],
    [EmployeeRole.DISPATCHER, ['DISPATCHER'], true],
    [EmployeeRole.MANAGER, ['DISPATCHER'], false],
    [EmployeeRole.ADMIN, [], true],
  ])('%s with the organization’s roles %j reads it: %s', (role, organizationRoles, expected) => {
    expect(viewsPersonalData(role, organizationRoles)).toBe(expected);
  });

  it('lists the roles that read it, ADMIN always', () => {
    expect(personalDataRolesOf({ personalDataRoles: null })).toEqual([EmployeeRole.ADMIN, EmployeeRole.MANAGER]);
    expect(personalDataRolesOf({ personalDataRoles: ['VIEWER'] })).toEqual([EmployeeRole.ADMIN, EmployeeRole.VIEWER]);
  });

  it('masks a value down to its last two characters at most', () => {
    expect(maskPersonalValue('500100732259')).toBe('•••• 59');
    expect(maskPersonalValue('123456')).toBe('••••');
    expect(maskPersonalValue('1980-03-15')).toBe('•••• 15');
    expect(maskPersonalValue(null)).toBeNull();
    expect(maskPersonalValue('')).toBe('');
  });

  it('masks the personal fields of a snapshot and leaves the others (and the snapshot itself) alone', () => {
    const snapshot = { lastName: 'Иванов', inn: '500100732259', snils: null, passportNumber: '123456' };
    expect(maskPersonalFields(snapshot)).toEqual({
      lastName: 'Иванов',
      inn: '•••• 59',
      snils: null,
      passportNumber: '••••',
    });
    expect(snapshot.inn).toBe('500100732259');
    const plain = { lastName: 'Иванов' };
    expect(maskPersonalFields(plain)).toBe(plain);
  });
});
