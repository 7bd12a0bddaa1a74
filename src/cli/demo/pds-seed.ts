/**
 * What a PDS domain holds before its first sync: the admin who set it up and people made in the
 * console by hand. The sync must leave them alone (it manages only the users it created).
 */
export const DEMO_PDS_SEED = {
  users: [
    { user_id: 'superadmin', user_name: 'admin', nick_name: '管理员', role: 'superadmin', status: 'enabled' },
    { user_id: 'it-zhou', user_name: 'zhou.it', nick_name: '周运维', role: 'admin', status: 'enabled' },
    {
      user_id: 'contractor-li',
      user_name: 'li.contractor',
      nick_name: '李外包',
      role: 'user',
      status: 'enabled',
      email: 'li@partner.example.com',
    },
    {
      user_id: 'shared-scanner',
      user_name: 'scanner',
      nick_name: '前台扫描仪',
      role: 'user',
      status: 'enabled',
    },
  ],
} as const;
